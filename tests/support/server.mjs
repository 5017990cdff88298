// Starts a real datenwerk binary on a free port with a fresh data directory, for black-box and
// page tests. Also creates an API key per role before the server starts (`apiKey` is the
// editor's, `keys.viewer` … `keys.administrator` the others).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.DATENWERK_BIN;
if (!BIN) throw new Error('DATENWERK_BIN must name the datenwerk binary');

// Spawns the binary with `args` (which should include --port 0) and resolves once it serves:
// { child, port, output() }.
export async function spawnServer(args) {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + output)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/serves http:\/\/[^:]+:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${output}`)); });
  });
  child.removeAllListeners('exit');
  return { child, port, output: () => output };
}

// `setup(dataDir, db)` runs before the server starts (e.g. an import into its data directory).
export async function startServer({ extraArgs = [], database, setup } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'datenwerk-http-'));
  const db = database ? ['--database', database] : [];
  const keys = {};
  for (const role of ['viewer', 'editor', 'reviewer', 'administrator']) {
    keys[role] = execFileSync(BIN, ['--data-dir', dataDir, ...db, 'apikey', 'create', '--role', role,
      '--label', `Testteam ${role}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  }
  const apiKey = keys.editor;
  if (setup) await setup(dataDir, db);
  const { child, port, output } = await spawnServer(
    ['--data-dir', dataDir, ...db, '--port', '0', '--log-level', 'info', ...extraArgs]);
  const base = `http://127.0.0.1:${port}`;
  return {
    base, port, apiKey, keys, dataDir, child,
    output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
