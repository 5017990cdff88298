// A PostgreSQL pair managed by Patroni with one etcd, with the deployment's own configuration
// (deploy/patroni.yml, only ports, names and folders from the environment), for tests that
// switch the primary over under load. Patroni refuses to run PostgreSQL as root, so when the
// test runs as root its members run as the postgres user.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { freePort } from './ports.mjs';
import { join } from 'node:path';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const root = process.getuid() === 0;

export const patroniAvailable = () => existsSync('/usr/bin/patroni') && existsSync('/usr/bin/etcd');

async function waitFor(check, what, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if (await check()) return; } catch { /* not yet */ }
    await sleep(200);
  }
  throw new Error(`timed out waiting until ${what}`);
}

// Starts etcd and two members in `dir` (which it hands to the postgres user) and waits until pg1
// leads and pg2 streams from it. Resolves to { database (read-write multi-host conninfo),
// standbys (the same, prefer-standby), members, role(m, 'primary'|'replica'), switchover(),
// stop() }.
export async function startPatroniPair(dir) {
  if (root) execFileSync('chown', ['postgres:', dir]);
  if (!existsSync('/var/run/postgresql')) {
    mkdirSync('/var/run/postgresql', { recursive: true });
    if (root) execFileSync('chown', ['postgres:', '/var/run/postgresql']);
  }
  const children = [];
  const start = (cmd, args, env, log) => {
    const [c, a] = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const out = openSync(join(dir, log), 'a');
    const child = spawn(c, a, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    children.push(child);
    return child;
  };
  const etcd = { client: await freePort(), peer: await freePort() };
  start('etcd', ['--name', 'e1', '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcd.client}`, '--advertise-client-urls', `http://127.0.0.1:${etcd.client}`,
    '--listen-peer-urls', `http://127.0.0.1:${etcd.peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcd.peer}`,
    '--initial-cluster', `e1=http://127.0.0.1:${etcd.peer}`], {}, 'etcd.log');
  await waitFor(async () => (await fetch(`http://127.0.0.1:${etcd.client}/health`)).ok, 'etcd is up', 20000);
  const members = [];
  const startMember = async (name) => {
    const m = { name, rest: await freePort(), pg: await freePort() };
    m.child = start('patroni', [join(SOURCE, 'deploy/patroni.yml')], {
      PATRONI_NAME: name, PATRONI_ETCD3_HOSTS: `127.0.0.1:${etcd.client}`,
      PATRONI_RESTAPI_LISTEN: `127.0.0.1:${m.rest}`, PATRONI_RESTAPI_CONNECT_ADDRESS: `127.0.0.1:${m.rest}`,
      PATRONI_POSTGRESQL_LISTEN: `127.0.0.1:${m.pg}`, PATRONI_POSTGRESQL_CONNECT_ADDRESS: `127.0.0.1:${m.pg}`,
      PATRONI_POSTGRESQL_DATA_DIR: join(dir, name), PATRONI_POSTGRESQL_PGPASS: join(dir, `${name}.pgpass`),
      PATRONI_SCOPE: `datenwerk${process.pid}`,
    }, `${name}.log`);
    members.push(m);
    return m;
  };
  // Patroni's REST API: 200 on /primary from the leader, on /replica from a streaming replica.
  const role = async (m, what) => (await fetch(`http://127.0.0.1:${m.rest}/${what}`)).status === 200;
  const pg1 = await startMember('pg1');
  await waitFor(() => role(pg1, 'primary'), 'pg1 leads', 60000);
  const pg2 = await startMember('pg2');
  await waitFor(() => role(pg2, 'replica'), 'pg2 streams from pg1', 90000);
  const hosts = `host=127.0.0.1,127.0.0.1 port=${pg1.pg},${pg2.pg} user=postgres dbname=postgres connect_timeout=2`;
  return {
    database: `${hosts} target_session_attrs=read-write`,
    standbys: `${hosts} target_session_attrs=prefer-standby`,
    members,
    role,
    // Through Patroni's REST API, from the leader to the other; resolves once the other leads.
    async switchover() {
      const [leader, candidate] = (await role(pg1, 'primary')) ? [pg1, pg2] : [pg2, pg1];
      const r = await fetch(`http://127.0.0.1:${leader.rest}/switchover`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ leader: leader.name, candidate: candidate.name }),
      });
      if (r.status !== 200) throw new Error(`switchover refused: ${r.status} ${await r.text()}`);
      await waitFor(() => role(candidate, 'primary'), `${candidate.name} leads`, 60000);
      return candidate;
    },
    async stop() {
      for (const c of [...children].reverse()) {  // the members first, etcd last
        if (c.exitCode === null && c.signalCode === null) {
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          await Promise.race([exited, sleep(15000)]);
          if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
        }
      }
    },
  };
}
