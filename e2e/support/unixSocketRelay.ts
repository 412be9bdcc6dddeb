// A relay from a unix socket to a TCP port on this network namespace's
// loopback: `node --import tsx unixSocketRelay.ts <socket path> <port>`.
//
// Run inside a test namespace (`ip netns exec`), it lets the test process on
// the host reach a server that listens on the namespace's own 127.0.0.1
// (Firefox's WebDriver BiDi port): filesystem sockets cross network
// namespaces, loopback addresses do not. Each connection to the socket gets
// its own TCP connection; either side closing closes both. Prints
// `RELAY_READY` once the socket listens.
import { existsSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';

const [pathArg, portArg] = process.argv.slice(2);
const port = Number(portArg);
if (!pathArg || !Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error('usage: unixSocketRelay.ts <socket path> <tcp port on 127.0.0.1>');
  process.exit(2);
}
const socketPath: string = pathArg;

const open = new Set<Socket>();
const server = createServer((client) => {
  const upstream = connect(port, '127.0.0.1');
  open.add(client).add(upstream);
  const closeBoth = () => {
    client.destroy();
    upstream.destroy();
    open.delete(client);
    open.delete(upstream);
  };
  client.on('error', closeBoth).on('close', closeBoth);
  upstream.on('error', closeBoth).on('close', closeBoth);
  client.pipe(upstream);
  upstream.pipe(client);
});

// A socket file left by a killed relay would make listen() fail with EADDRINUSE.
if (existsSync(socketPath)) rmSync(socketPath);
server.listen(socketPath, () => console.log('RELAY_READY'));

function stop(): void {
  for (const socket of open) socket.destroy();
  server.close();
  rmSync(socketPath, { force: true });
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
