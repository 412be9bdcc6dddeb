// One node of a local cluster: the example server (examples/video-room/server.ts)
// in its own process with CLUSTER_* set, as `pnpm cluster` starts it, so a
// test can kill -9 it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../examples/video-room/server.ts', import.meta.url));

export interface ClusterNodeProcess {
  readonly nodeId: string;
  readonly child: ChildProcess;
  /** Signaling URL, as the bot and the room client take it. */
  readonly wsUrl: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startClusterNode(
  nodeId: string,
  redisUrl: string,
): Promise<ClusterNodeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CLUSTER_REDIS: redisUrl,
      CLUSTER_NODE_ID: nodeId,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`node ${nodeId} did not start: ${out}`)),
      90_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('vroom example running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${nodeId} exited (${code}) before it started: ${out}`));
    });
  });
  return {
    nodeId,
    child,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async kill(signal = 'SIGKILL') {
      process.off('exit', killNow);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
