// The loopback server as a process, for tests that run it elsewhere (inside a
// network namespace). Usage: node --import tsx serverMain.ts <host> [port]
// Prints `LOOPBACK_READY <url>` once listening; SIGTERM closes it.
import { startLoopbackServer } from './server.js';

const [host, port] = process.argv.slice(2);
if (!host) {
  console.error('usage: serverMain.ts <host> [port]');
  process.exit(2);
}
const server = await startLoopbackServer({ host, port: Number(port ?? 0) });
console.log(`LOOPBACK_READY ${server.url}`);
process.once('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
