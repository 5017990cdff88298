// A local SMTP sink for the tests: speaks just enough SMTP (no TLS, no login) to take mail from
// the server's relay, and keeps each message with its envelope and decoded subject and body.
import net from 'node:net';

export function smtpSink() {
  const mails = [];
  const waiters = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let envelope = { from: '', to: [] };
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push({ ...envelope, ...parse(raw) });
          envelope = { from: '', to: [] };
          socket.write('250 OK queued\r\n');
          for (const w of waiters.splice(0)) w();
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') { envelope.from = line.match(/<(.*)>/)?.[1] ?? ''; socket.write('250 OK\r\n'); }
        else if (verb === 'RCPT') { envelope.to.push(line.match(/<(.*)>/)?.[1] ?? ''); socket.write('250 OK\r\n'); }
        else if (verb === 'DATA') { inData = true; socket.write('354 go ahead\r\n'); }
        else if (verb === 'QUIT') { socket.end('221 bye\r\n'); return; }
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return {
    mails,
    listen: () => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port))),
    close: () => new Promise((r) => server.close(r)),
    // Resolves with the first mail matching `predicate` (waits up to `ms`).
    async next(predicate, ms = 15000) {
      const end = Date.now() + ms;
      for (;;) {
        const found = mails.find(predicate);
        if (found) return found;
        if (Date.now() > end) throw new Error(`no such mail; got ${mails.map((m) => m.subject).join(', ')}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
      }
    },
  };
}

function parse(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4).replace(/\r\n/g, '');
  const header = (name) => headers.match(new RegExp(`^${name}: (.*)$`, 'mi'))?.[1] ?? '';
  const subject = header('Subject').replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  return { headers, subject, body: Buffer.from(body, 'base64').toString('utf8') };
}
