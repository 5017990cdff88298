// A TCP port on 127.0.0.1 that nothing listens on right now, for the test's own helpers (a broker,
// a PostgreSQL, etcd, slapd) that take a port on their command line.
import { createServer } from 'node:net';

export const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
