// The back office from a test's side: accounts made with `datenwerk user create`, and a browser-
// like client that keeps its cookies, reads the CSRF token from the pages and posts forms.
import { execFileSync } from 'node:child_process';
import { BIN } from './server.mjs';

export const PASSWORD = 'ein-sicheres-test-passwort';

// Before the server starts (startServer's `setup`), or while it runs: SQLite allows both.
export function createUser(dataDir, db, { email, role, name, scopes = [], password = PASSWORD, directory = false }) {
  const args = ['--data-dir', dataDir, ...db, 'user', 'create', '--email', email, '--role', role];
  if (name) args.push('--name', name);
  if (directory) args.push('--directory');
  for (const s of scopes) args.push('--scope', s);
  execFileSync(BIN, args, { input: password + '\n', stdio: ['pipe', 'ignore', 'pipe'] });
}

export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attributes.some((a) => /max-age=0/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path, headers = {}) {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: { Cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  async post(path, fields, { headers = {}, raw } = {}) {
    const body = raw ?? new URLSearchParams(fields).toString();
    const res = await fetch(this.base + path, {
      method: 'POST', redirect: 'manual', body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: this.cookieHeader(), ...headers },
    });
    this.remember(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  // The CSRF token of the forms on `path`.
  async csrf(path = '/verwaltung') {
    const page = await this.get(path);
    const m = page.text.match(/name="csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${path} (${page.status})`);
    return m[1];
  }

  // Signs in through the form; returns the answer to the form's POST.
  async signIn(email, password = PASSWORD) {
    const form = await this.get('/verwaltung/anmelden');
    const pre = form.text.match(/name="vorab" value="([^"]+)"/)[1];
    return this.post('/verwaltung/anmelden', { vorab: pre, email, passwort: password, weiter: '/verwaltung' });
  }
}
