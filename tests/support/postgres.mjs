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
