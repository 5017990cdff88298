// A PostgreSQL 15 cluster of a test's own (Unix socket only), for tests that stop and restart
// the database under a running server; the shared cluster of scripts/with-postgres.sh must not
// be restarted while other tests use it.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export function postgresAvailable() {
  return existsSync(join(PG_BIN, 'initdb'));
}

export function ownCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-own-pg-'));
  const asRoot = process.getuid && process.getuid() === 0;
  const run = (cmd, args) => {
    if (asRoot) return execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { stdio: 'pipe' });
    return execFileSync(join(PG_BIN, cmd), args, { stdio: 'pipe' });
  };
  if (asRoot) execFileSync('chown', ['postgres:', dir]);
  run('initdb', ['-D', join(dir, 'data'), '-U', 'datenwerk', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = `-c listen_addresses='' -c unix_socket_directories='${dir}' -c port=5434 -c fsync=off`;
  const start = () => run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', options, 'start']);
  const stop = () => run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  start();
  return {
    conninfo: `host=${dir} port=5434 user=datenwerk dbname=postgres connect_timeout=2`,
    start,
    stop,
    remove() {
      try { run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']); } catch { /* stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A primary and a streaming standby of it (pg_basebackup -R), each on a Unix socket of the
// test's own, for read-replica tests: { primary, standby } conninfos, sql(which, statement)
// (which: 'primary' or 'standby'), stopStandby(), startStandby(), remove().
export function ownPrimaryWithStandby() {
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-pg-pair-'));
  const asRoot = process.getuid && process.getuid() === 0;
  const run = (cmd, args) => {
    if (asRoot) return execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { stdio: 'pipe', encoding: 'utf8' });
    return execFileSync(join(PG_BIN, cmd), args, { stdio: 'pipe', encoding: 'utf8' });
  };
  if (asRoot) execFileSync('chown', ['postgres:', dir]);
  const ports = { primary: 5434, standby: 5435 };
  const data = { primary: join(dir, 'primary'), standby: join(dir, 'standby') };
  const options = (port) => `-c listen_addresses='' -c unix_socket_directories='${dir}' -c port=${port} -c fsync=off`;
  const start = (which) => run('pg_ctl', ['-D', data[which], '-l', join(dir, `${which}.log`), '-w', '-o', options(ports[which]), 'start']);
  run('initdb', ['-D', data.primary, '-U', 'datenwerk', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  start('primary');
  run('pg_basebackup', ['-h', dir, '-p', String(ports.primary), '-U', 'datenwerk', '-D', data.standby, '-R', '-X', 'stream']);
  start('standby');
  const conninfo = (which) => `host=${dir} port=${ports[which]} user=datenwerk dbname=postgres connect_timeout=2`;
  return {
    primary: conninfo('primary'),
    standby: conninfo('standby'),
    sql: (which, statement) => run('psql', ['-h', dir, '-p', String(ports[which]), '-U', 'datenwerk', '-d', 'postgres',
      '-XAtq', '-c', statement]).trim(),
    stopStandby: () => run('pg_ctl', ['-D', data.standby, '-m', 'fast', '-w', 'stop']),
    startStandby: () => start('standby'),
    remove() {
      for (const which of ['standby', 'primary']) {
        try { run('pg_ctl', ['-D', data[which], '-m', 'immediate', 'stop']); } catch { /* stopped */ }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
