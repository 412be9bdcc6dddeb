// Flood bench (issue 11, F4): does one client's flood slow the others?
// A bystander joined to a room sends `ping` requests (40/s, inside its
// budget) over a real WebSocket to an in-process server on the real
// mediasoup worker, and times each answer: first with nobody else around
// (the baseline, measured in this run), then while flooders in a separate
// process send 120 KB frames as fast as their sockets drain:
//  - "unjoined": response-shaped frames (`{"id":1,"ok":true,"data":...}`)
//    on sockets that never join, reconnecting whenever they are cut;
//  - "joined": `ping` requests padded to 120 KB after a real `join`,
//    rejoining whenever they are cut.
// Prints the bystander's p50 / p95 in both phases, their ratios, the
// flooders' frames and cuts, and os.loadavg() (a 2-core shared machine:
// read the ratios next to the load). Not a test: no figure here is a gate.
//
// Usage (repo root): npm run bench:flood [-- --seconds=8 --flooders=2]

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { PROTOCOL_VERSION } from '../packages/protocol/src/index.js';
import { createSfuServer } from '../packages/server-adapter/src/index.js';
import { flag } from './flags.js';
import { listenWebSocket } from './server/wsServer.js';

// The root package installs no workspace tooling: borrow the e2e package's ws.
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { WebSocket } = require('ws') as typeof import('ws');

const FRAME_BYTES = 120 * 1024;
const PING_EVERY_MS = 25;

const joinFrame = (id: number) =>
  JSON.stringify({
    id,
    method: 'join',
    data: {
      protocolVersion: PROTOCOL_VERSION,
      roomId: 'flood',
      displayName: 'f',
      device: { name: 'bench' },
    },
  });

// --- The flooders' process ------------------------------------------------------

interface FloodStats {
  frames: number;
  cuts: number;
}

function runFlooders(url: string, perKind: number): void {
  const stats: FloodStats = { frames: 0, cuts: 0 };
  const pad = 'x'.repeat(FRAME_BYTES);
  const responseFrame = `{"id":1,"ok":true,"data":{"pad":"${pad}"}}`;
  let stopped = false;
  const open = (joined: boolean) => {
    const socket = new WebSocket(url);
    let id = 10;
    const pump = () => {
      while (socket.readyState === WebSocket.OPEN && socket.bufferedAmount < 1 << 20) {
        socket.send(
          joined ? `{"id":${id++},"method":"ping","data":{"pad":"${pad}"}}` : responseFrame,
        );
        stats.frames++;
      }
      if (socket.readyState === WebSocket.OPEN) setTimeout(pump, 1);
    };
    socket.on('open', () => {
      if (!joined) return pump();
      socket.send(joinFrame(1));
      // Flood once joined, as an attacker would (before, big frames are cut).
      socket.once('message', () => pump());
    });
    socket.on('close', () => {
      stats.cuts++;
      if (!stopped) setTimeout(() => open(joined), 10);
    });
    socket.on('error', () => undefined);
  };
  for (let i = 0; i < perKind; i++) {
    open(false);
    open(true);
  }
  process.on('message', () => {
    stopped = true;
    process.send?.(stats, () => process.exit(0));
  });
}

// --- The server and the bystander ------------------------------------------------

interface Phase {
  p50: number;
  p95: number;
  samples: number;
  load: number[];
}

async function bystanderPhase(socket: import('ws').WebSocket, seconds: number): Promise<Phase> {
  const times: number[] = [];
  const waiting = new Map<number, number>();
  let nextId = 1000 + Math.floor(Math.random() * 1e6);
  const onMessage = (data: import('ws').RawData) => {
    const message = JSON.parse(String(data)) as { id?: number; ok?: boolean };
    const sentAt = message.id === undefined ? undefined : waiting.get(message.id);
    if (sentAt === undefined || message.ok === undefined) return;
    waiting.delete(message.id as number);
    times.push(performance.now() - sentAt);
  };
  socket.on('message', onMessage);
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const id = nextId++;
    waiting.set(id, performance.now());
    socket.send(JSON.stringify({ id, method: 'ping', data: {} }));
    await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // the last answers
  socket.off('message', onMessage);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), samples: times.length, load: os.loadavg() };
}

async function main(): Promise<void> {
  const seconds = flag('seconds', 8);
  const flooders = flag('flooders', 2);
  const server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
  const { url, close: closeWs } = await listenWebSocket(server);
  let child: ChildProcess | undefined;
  try {
    const bystander = new WebSocket(url);
    await once(bystander, 'open');
    bystander.send(joinFrame(1));
    await once(bystander, 'message');
    console.log(
      `load before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const quiet = await bystanderPhase(bystander, seconds);
    child = fork(process.argv[1] as string, ['--flooder', url, String(flooders)], {
      execArgv: ['--import', 'tsx'],
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the flood under way
    const flooded = await bystanderPhase(bystander, seconds);
    child.send('stop');
    // A flooder process too busy to answer within 10 s is killed, its counts lost.
    const unknown: FloodStats = { frames: Number.NaN, cuts: Number.NaN };
    const [stats] = (await Promise.race([
      once(child, 'message'),
      new Promise((resolve) => setTimeout(() => resolve([unknown]), 10_000).unref()),
    ])) as [FloodStats];
    child.kill();
    child = undefined;
    const row = (name: string, phase: Phase) =>
      `${name.padEnd(14)} p50 ${phase.p50.toFixed(2).padStart(8)} ms   p95 ${phase.p95.toFixed(2).padStart(8)} ms   (${phase.samples} pings; load ${phase.load.map((l) => l.toFixed(2)).join(' ')})`;
    console.log(row('no flooders', quiet));
    console.log(row(`${2 * flooders} flooders`, flooded));
    console.log(
      `ratio flooded/quiet: p50 ${(flooded.p50 / quiet.p50).toFixed(2)}x, p95 ${(flooded.p95 / quiet.p95).toFixed(2)}x`,
    );
    console.log(
      `flooders (${flooders} unjoined + ${flooders} joined, 120 KB frames): ${stats.frames} frames written, ${stats.cuts} connections cut by the server`,
    );
    bystander.close();
  } finally {
    child?.kill();
    closeWs();
    server.close();
  }
}

const flooderAt = process.argv.indexOf('--flooder');
if (flooderAt >= 0) {
  runFlooders(process.argv[flooderAt + 1] as string, Number(process.argv[flooderAt + 2]));
} else {
  await main();
}
