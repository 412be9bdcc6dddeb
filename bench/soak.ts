// Churn soak (issue 11): --cycles peers (default 1000) each join a room,
// connect, produce audio and video and a data channel, stay a moment and
// leave, paced over --duration seconds (default 600), against an in-process
// server on the real mediasoup 3.8.4 worker. In every room a resident peer
// consumes whatever is produced, so every cycle also makes and closes
// consumers. Peers are protocol-level clients (the real client endpoint over
// an in-memory connection, valid browser-shaped RTP parameters), not WebRTC
// media. Prints, at start (residents joined and --warmup cycles done: the
// baseline), middle and end:
// Node RSS and heap (after a GC), open fds, each worker's RSS, and what the
// worker reports it holds (worker.dump / router.dump), then end/start ratios.
// Flat is the target.
//
// Usage (repo root): pnpm bench:soak [--cycles=1000] [--duration=600]
//   [--rooms=4] [--concurrency=4] [--warmup=20]
// Not a test: the figures depend on the machine.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createSfuServer, type SfuServer } from '../packages/server-adapter/src/index.js';
import { opusParameters, vp8Parameters } from '../packages/server-adapter/src/test/fixtures.js';
import { liveObjects } from '../packages/server-adapter/src/test/liveObjects.js';
import { type JoinedClient, joinWithMedia } from '../packages/server-adapter/src/test/rooms.js';
import { FAST_SESSIONS } from '../packages/server-adapter/src/test/sessions.js';
import { waitFor } from '../packages/server-adapter/src/test/TestClient.js';
import { flag } from './flags.js';

const CYCLES = flag('cycles', 1000);
const DURATION_S = flag('duration', 600);
const ROOMS = flag('rooms', 4);
const CONCURRENCY = flag('concurrency', 4);
/** Cycles before the start sample: first-use allocations (worker arenas, JIT) are not growth. */
const WARMUP = flag('warmup', 20);
const gc = (globalThis as { gc?: () => void }).gc;

interface Sample {
  label: string;
  cycles: number;
  rssMb: number;
  heapMb: number;
  fds: number;
  workerRssMb: number;
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  dataProducers: number;
  dataConsumers: number;
  sessions: number;
}

/** VmRSS of a process, from /proc (the worker is a child process). */
function rssOfPid(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function sample(server: SfuServer, label: string, cycles: number): Promise<Sample> {
  gc?.();
  const memory = process.memoryUsage();
  const workerRssMb = server.pool.workers.reduce((sum, worker) => sum + rssOfPid(worker.pid), 0);
  return {
    label,
    cycles,
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
    fds: readdirSync('/proc/self/fd').length,
    workerRssMb,
    ...(await liveObjects(server)),
    sessions: server.peerCount,
  };
}

function print(s: Sample): void {
  console.log(
    `${s.label.padEnd(6)} cycles ${String(s.cycles).padStart(5)}  rss ${s.rssMb.toFixed(1)} MB  heap ${s.heapMb.toFixed(1)} MB  ` +
      `fds ${s.fds}  worker rss ${s.workerRssMb.toFixed(1)} MB  routers ${s.routers} transports ${s.transports} ` +
      `producers ${s.producers} consumers ${s.consumers} dataProducers ${s.dataProducers} ` +
      `dataConsumers ${s.dataConsumers} sessions ${s.sessions}  load ${load()}`,
  );
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One churn cycle: join with both transports, produce audio, video and data, leave. */
async function cycle(server: SfuServer, roomId: string, resident: JoinedClient): Promise<void> {
  const peer = await joinWithMedia(server, roomId);
  const { client, sendTransportId } = peer;
  const produced = await Promise.all([
    client.request('produce', {
      transportId: sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    }),
    client.request('produce', {
      transportId: sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    }),
  ]);
  await client.request('produceData', {
    transportId: sendTransportId,
    sctpStreamParameters: { streamId: 1 },
  });
  // The resident consumes what this peer produced before it leaves.
  const ids = produced.map((p) => p.producerId);
  await waitFor(
    () => ids.every((id) => resident.client.consumers.some((c) => c.producerId === id)),
    "the resident's consumers",
  );
  await client.request('leave', {});
  client.disconnect();
}

console.log(`bench:soak ${new Date().toISOString()} load ${load()} (${os.cpus().length} cores)`);
console.log(
  `${CYCLES} cycles over ~${DURATION_S} s in ${ROOMS} rooms, ${CONCURRENCY} at a time` +
    (gc ? '' : ' (no --expose-gc: heap figures include garbage)'),
);
const server = await createSfuServer({
  workers: 1,
  workerSettings: { logLevel: 'none' },
  session: FAST_SESSIONS,
  limits: { joinsPerAddressPerMinute: 100_000, joinsPerAddressBurst: 10_000 },
});
const roomIds = Array.from({ length: ROOMS }, (_, i) => `soak-${i}`);
const residents = await Promise.all(roomIds.map((roomId) => joinWithMedia(server, roomId)));
for (let i = 0; i < WARMUP; i++)
  await cycle(server, roomIds[i % ROOMS] ?? '', residents[i % ROOMS] as JoinedClient);
await sleep(500);
const samples = [await sample(server, 'start', 0)];
print(samples[0] as Sample);

const started = performance.now();
const spacingMs = (DURATION_S * 1000) / CYCLES;
let done = 0;
let failed = 0;
let next = 0;
const workers = Array.from({ length: CONCURRENCY }, async () => {
  for (let i = next++; i < CYCLES; i = next++) {
    // Paced: cycle i starts no earlier than i * spacing.
    const wait = started + i * spacingMs - performance.now();
    if (wait > 0) await sleep(wait);
    const room = i % ROOMS;
    try {
      await cycle(server, roomIds[room] ?? '', residents[room] as JoinedClient);
    } catch (error) {
      failed++;
      if (failed <= 5) console.log(`  cycle ${i} failed: ${(error as Error).message}`);
    }
    done++;
    if (done === Math.floor(CYCLES / 2)) {
      const middle = await sample(server, 'middle', done);
      samples.push(middle);
      print(middle);
    }
    // What the residents recorded is not what is measured: keep it flat.
    for (const { client } of residents) {
      if (client.consumers.length > 100) client.consumers.splice(0, 50);
      client.notifications.splice(0);
      client.seqs.splice(0);
    }
  }
});
await Promise.all(workers);
// Sessions of peers that left end at once; give the worker a moment to report it.
await sleep(1000);
for (const { client } of residents) {
  client.consumers.splice(0);
  client.notifications.splice(0);
  client.seqs.splice(0);
}
const end = await sample(server, 'end', done);
samples.push(end);
print(end);
const start = samples[0] as Sample;
const ratio = (key: 'rssMb' | 'heapMb' | 'fds' | 'workerRssMb') =>
  `${key} ${(end[key] / start[key]).toFixed(3)}`;
const counts = (
  [
    'routers',
    'transports',
    'producers',
    'consumers',
    'dataProducers',
    'dataConsumers',
    'sessions',
  ] as const
)
  .map((key) => `${key} ${start[key]}->${end[key]}`)
  .join(' ');
console.log(
  `end/start: ${(['rssMb', 'heapMb', 'fds', 'workerRssMb'] as const).map(ratio).join('  ')}; ${counts}`,
);
console.log(
  `${done} cycles (${failed} failed) in ${((performance.now() - started) / 1000).toFixed(0)} s; load ${load()}`,
);
for (const resident of residents) {
  await resident.client.request('leave', {});
  resident.client.disconnect();
}
server.close();
process.exit(failed > 0 ? 1 : 0);
