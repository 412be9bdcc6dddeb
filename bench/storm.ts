// bench:storm (issue 13): --peers protocol-level peers (default 200) send
// `join` (with send and recv transports) at the same moment through the real
// ws binding (`serveWebSocket` on 127.0.0.1) to a server on the real
// mediasoup 3.8.4 worker. The bots run in a child process, so this process's
// CPU is the server's. Rooms hold `peersPerRoom` (50) peers, so the peers are
// spread over --peers / 50 rooms; the per-address join limits are raised
// (every bot comes from 127.0.0.1) and said so in the output.
// Baseline, same run, same worker settings: the same joins as raw mediasoup
// calls (a router per room, two createWebRtcTransport per peer, all at
// once), no adapter, no protocol, no socket. Prints join latency p50 / p95 /
// p99, errors by code, Node CPU per join and the ratio adapter / raw (goal
// <= 1.1x), worker CPU, and os.loadavg() before and after. A --warmup storm
// of each kind runs first and is not counted. Not a test: the figures depend
// on the machine.
//
// Usage (repo root): pnpm bench:storm [--peers=200] [--warmup=20]

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  createSfuServer,
  DEFAULT_LIMITS,
  defaultMediaCodecs,
  type SfuServerOptions,
} from '../packages/server-adapter/src/index.js';
import { flag } from './flags.js';
import { load, nodeCpuMs, processCpuMs, quantile } from './server/measure.js';
import { runStormClients, type StormCommand, type StormResult } from './server/stormClients.js';
import { listenWebSocket } from './server/wsServer.js';

const SERVER_OPTIONS: SfuServerOptions = {
  workers: 1,
  workerSettings: { logLevel: 'none' },
  // Every bot connects from 127.0.0.1: the per-address join budget (a burst
  // of 100) would refuse half the storm by design.
  limits: { joinsPerAddressBurst: 10_000, joinsPerAddressPerMinute: 100_000 },
};

interface Outcome extends StormResult {
  nodeCpuMs: number;
  workerCpuMs: number;
  wallMs: number;
}

/** The storm through the adapter: a fresh server, a ws server, bots in a child process. */
async function adapterStorm(peers: number, rooms: number): Promise<Outcome> {
  const server = await createSfuServer(SERVER_OPTIONS);
  const ws = await listenWebSocket(server);
  const child = fork(process.argv[1] as string, ['--storm-clients'], {
    execArgv: ['--import', 'tsx'],
  });
  const command = (message: StormCommand) => child.send(message);
  try {
    command({ open: { url: ws.url, peers, rooms } });
    await once(child, 'message'); // every socket open
    const workerPid = server.pool.workers[0]?.pid ?? 0;
    const before = { node: nodeCpuMs(), worker: processCpuMs(workerPid), at: performance.now() };
    command('go');
    const [result] = (await once(child, 'message')) as [StormResult];
    return {
      ...result,
      nodeCpuMs: nodeCpuMs() - before.node,
      workerCpuMs: processCpuMs(workerPid) - before.worker,
      wallMs: performance.now() - before.at,
    };
  } finally {
    command('close');
    await once(child, 'exit');
    ws.close();
    server.close();
  }
}

/** The same joins as raw mediasoup calls on a fresh worker (the pool's, unused by any room). */
async function rawStorm(peers: number, rooms: number): Promise<Outcome> {
  const server = await createSfuServer(SERVER_OPTIONS);
  const worker = server.pool.workers[0];
  if (!worker) throw new Error('no worker');
  type Router = Awaited<ReturnType<typeof worker.createRouter>>;
  const routers = new Map<number, Promise<Router>>();
  const routerOf = (room: number) => {
    let router = routers.get(room);
    if (!router) {
      router = worker.createRouter({ mediaCodecs: defaultMediaCodecs() });
      routers.set(room, router);
    }
    return router;
  };
  const result: StormResult = { latencies: [], errors: {} };
  const before = { node: nodeCpuMs(), worker: processCpuMs(worker.pid), at: performance.now() };
  await Promise.all(
    Array.from({ length: peers }, async (_, i) => {
      const startedAt = performance.now();
      try {
        const router = await routerOf(i % rooms);
        const options = {
          listenIps: [{ ip: '127.0.0.1' }],
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
        };
        await Promise.all([
          router.createWebRtcTransport({ ...options, appData: { direction: 'send' } }),
          router.createWebRtcTransport({ ...options, appData: { direction: 'recv' } }),
        ]);
        result.latencies.push(performance.now() - startedAt);
      } catch (error) {
        const code = (error as Error).name || 'Error';
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      }
    }),
  );
  const outcome = {
    ...result,
    nodeCpuMs: nodeCpuMs() - before.node,
    workerCpuMs: processCpuMs(worker.pid) - before.worker,
    wallMs: performance.now() - before.at,
  };
  server.close();
  return outcome;
}

function row(name: string, o: Outcome): string {
  const sorted = [...o.latencies].sort((a, b) => a - b);
  const ms = (q: number) => `${quantile(sorted, q).toFixed(0).padStart(5)} ms`;
  const errors = Object.entries(o.errors)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const perJoin = o.nodeCpuMs / Math.max(1, o.latencies.length);
  return (
    `${name.padEnd(8)} ${String(o.latencies.length).padStart(4)} ok  p50 ${ms(0.5)}  p95 ${ms(0.95)}  p99 ${ms(0.99)}  ` +
    `all in ${o.wallMs.toFixed(0)} ms  Node CPU ${o.nodeCpuMs.toFixed(0)} ms (${perJoin.toFixed(2)} ms/join)  ` +
    `worker CPU ${o.workerCpuMs.toFixed(0)} ms  errors: ${errors || 'none'}`
  );
}

async function main(): Promise<void> {
  const peers = flag('peers', 200);
  const warmup = flag('warmup', 20);
  const rooms = Math.ceil(peers / DEFAULT_LIMITS.peersPerRoom);
  console.log(`bench:storm ${new Date().toISOString()} load before ${load()}`);
  console.log(
    `${peers} joins at once over ${rooms} rooms (peersPerRoom ${DEFAULT_LIMITS.peersPerRoom}), ` +
      `each with send + recv WebRTC transports; joinsPerAddressBurst raised to 10000 (all bots on 127.0.0.1)`,
  );
  await rawStorm(warmup, 1);
  await adapterStorm(warmup, 1);
  const raw = await rawStorm(peers, rooms);
  console.log(row('raw', raw));
  const adapter = await adapterStorm(peers, rooms);
  console.log(row('adapter', adapter));
  const perJoin = (o: Outcome) => o.nodeCpuMs / Math.max(1, o.latencies.length);
  console.log(
    `signaling CPU per join, adapter / raw: ${(perJoin(adapter) / perJoin(raw)).toFixed(2)}x (goal <= 1.1x)`,
  );
  console.log(`load after ${load()}`);
}

if (process.argv.includes('--storm-clients')) runStormClients();
else await main();
