// A real OpenLDAP server (Debian's slapd) for the tests: its own configuration, database and
// port in a temporary directory, loaded with slapadd before it starts.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { freePort } from './ports.mjs';

const SUFFIX = 'dc=bochum,dc=de';
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const ROOT_PASSWORD = 'slapd-root-secret';

async function reachable(port, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error('slapd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// people: [{ uid, mail, cn, displayName, password }]
export async function startSlapd(people) {
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-slapd-'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'slapd.conf'), `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile ${dir}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "${SUFFIX}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PASSWORD}
directory ${dir}/db
access to attrs=userPassword by anonymous auth by self write by * none
access to * by * read
`);
  let ldif = `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Stadt Bochum\ndc: bochum\n\n` +
    `dn: ou=Mitarbeitende,${SUFFIX}\nobjectClass: organizationalUnit\nou: Mitarbeitende\n\n`;
  for (const p of people) {
    const hash = execFileSync('/usr/sbin/slappasswd', ['-s', p.password], { encoding: 'utf8' }).trim();
    ldif += `dn: uid=${p.uid},ou=Mitarbeitende,${SUFFIX}\nobjectClass: inetOrgPerson\nuid: ${p.uid}\ncn: ${p.cn}\n` +
      `sn: ${p.cn.split(' ').pop()}\nmail: ${p.mail}\n` + (p.displayName ? `displayName: ${p.displayName}\n` : '') +
      `userPassword: ${hash}\n\n`;
  }
  writeFileSync(join(dir, 'data.ldif'), ldif);
  execFileSync('/usr/sbin/slapadd', ['-f', join(dir, 'slapd.conf'), '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });
  const port = await freePort();
  const child = spawn('/usr/sbin/slapd', ['-f', join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c) => { log += c; });
  await reachable(port, 10000).catch((e) => { child.kill(); throw new Error(`${e.message}:\n${log}`); });
  return {
    url: `ldap://127.0.0.1:${port}`,
    baseDn: `ou=Mitarbeitende,${SUFFIX}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
