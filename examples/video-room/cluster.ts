// `pnpm cluster`: a local cluster of the example on this machine — a Redis
// (redis-server from PATH, no persistence) and three nodes of the example
// server on ports 3001-3003, one room across them. Open two of the printed
// URLs with the same ?room= and the two tabs see each other through
// different nodes. Ctrl-C stops everything.
//   NODES=3  BASE_PORT=3001  REDIS_PORT=6390
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const nodes = Number(process.env.NODES ?? 3);
const basePort = Number(process.env.BASE_PORT ?? 3001);
const redisPort = Number(process.env.REDIS_PORT ?? 6390);
const children: ChildProcess[] = [];

function stopAll(code: number): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}

function start(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim()) console.log(`[${name}] ${line}`);
  });
  child.once('error', (error) => {
    console.error(`[${name}] cannot start ${command}: ${error.message}`);
    stopAll(1);
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${code ?? signal}); stopping the cluster`);
      stopping = true;
      stopAll(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    stopAll(0);
  });
}

const redis = start(
  'redis',
  'redis-server',
  ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {},
);
// Nodes connect to Redis as they start: wait until it listens.
await new Promise<void>((resolve) => {
  const probe = setInterval(() => {
    const socket = connect(redisPort, '127.0.0.1', () => {
      socket.end();
      clearInterval(probe);
      resolve();
    });
    socket.on('error', () => socket.destroy());
  }, 100);
  redis.once('exit', () => clearInterval(probe));
});
const server = fileURLToPath(new URL('./server.ts', import.meta.url));
for (let i = 0; i < nodes; i++) {
  const port = basePort + i;
  start(`n${i + 1}`, process.execPath, ['--import', 'tsx', server], {
    PORT: String(port),
    CLUSTER_REDIS: `redis://127.0.0.1:${redisPort}`,
    CLUSTER_NODE_ID: `n${i + 1}`,
  });
}
console.log(
  `local cluster: Redis on ${redisPort}, nodes on ${basePort}-${basePort + nodes - 1}. Open e.g.\n` +
    Array.from({ length: nodes }, (_, i) => `  http://localhost:${basePort + i}/?room=lobby`).join(
      '\n',
    ),
);
