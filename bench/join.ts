/**
 * bench:join (issue 13): a second peer joins a room where one peer already
 * sends camera + microphone, through a WebSocket delay proxy (`DelayProxy`:
 * each frame held RTT/2 each way) at 0 / 100 / 300 ms RTT, on the real
 * server (mediasoup 3.8.4 worker). Two flows, interleaved rep by rep:
 *   room:   our RoomClient (Node handler over @roamhq/wrtc), as an app writes it;
 *   given:  the same, the joiner given the router capabilities by the app
 *           (`routerRtpCapabilities`, as fetched beforehand): no setCapabilities;
 *   pipe:   given, and the app captures first and passes the tracks to
 *           `join()`: connect + produce go in the join's own flight;
 *   anchor: the same two peers written with mediasoup-client 3.24.1
 *           (Chrome111 handler on wrtc's classes) in the mediasoup demo's
 *           order, every request awaited (`anchorPeer.ts`).
 * Printed: medians of "joiner sees the other's video" (first decoded
 * frame), "joiner's camera confirmed" (produce answered), "the other sees
 * the joiner", all from the joiner's start; ratios room / anchor; the
 * sequential rounds read at the proxy; the slope of time over RTT; and
 * os.loadavg(). Timings are reported, never asserted (shared 2-core machine).
 *
 *   pnpm bench:join [--reps 5]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startVideoRoomServer } from '../examples/video-room/app.js';
import { anchorPeer } from './join/anchorPeer.js';
import { DelayProxy, type ProxiedMessage } from './join/DelayProxy.js';
import { stopMedia } from './join/media.js';
import { installFakeGetUserMedia, roomPeer } from './join/roomPeer.js';

const RTTS = [0, 100, 300];
const FLOWS = ['room', 'given', 'pipe', 'anchor'] as const;
type Flow = (typeof FLOWS)[number];
const TRIAL_TIMEOUT_MS = 20_000;

type Trial = {
  flow: Flow;
  rttMs: number;
  seesOther: number;
  cameraConfirmed: number;
  otherSees: number;
  requests: number;
  firstConsumerRound: number;
  cameraRound: number;
};

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Math.max(1, Number(process.argv[repsArg + 1]) || 5) : 5;

async function main(): Promise<void> {
  installFakeGetUserMedia();
  const loadBefore = os.loadavg();
  const server = await startVideoRoomServer({
    host: '127.0.0.1',
    port: 0,
    sfu: { workers: 1, workerSettings: { rtcMinPort: 45000, rtcMaxPort: 45999 } },
  });
  const target = `${server.url.replace('http', 'ws')}ws`;
  const proxies = { a: await DelayProxy.start(target), b: await DelayProxy.start(target) };
  const trials: Trial[] = [];
  try {
    for (let rep = 1; rep <= REPS; rep++) {
      for (const rttMs of RTTS) {
        for (const flow of FLOWS) {
          const result = await trial(
            flow,
            rttMs,
            rep,
            proxies,
            (roomId) => server.sfu.room(roomId)?.router.rtpCapabilities,
          );
          trials.push(result);
          console.log(
            `rep ${rep} ${flow.padEnd(6)} rtt ${String(rttMs).padStart(3)}: sees other ${ms(result.seesOther)}, camera ${ms(result.cameraConfirmed)}, other sees ${ms(result.otherSees)}, requests ${result.requests}, rounds ${result.firstConsumerRound}/${result.cameraRound}`,
          );
        }
      }
    }
  } finally {
    proxies.a.close();
    proxies.b.close();
    stopMedia();
    await server.close();
  }
  report(trials, loadBefore, os.loadavg());
}

async function trial(
  flow: Flow,
  rttMs: number,
  rep: number,
  proxies: { a: DelayProxy; b: DelayProxy },
  routerCapabilities: (roomId: string) => unknown,
): Promise<Trial> {
  const roomId = `bench-join-${flow}-${rttMs}-${rep}`;
  const peer: typeof roomPeer = flow === 'anchor' ? anchorPeer : roomPeer;
  proxies.a.rttMs = rttMs;
  proxies.b.rttMs = rttMs;
  let aSeesB: Promise<number> | undefined;
  let bSeesA: Promise<number> | undefined;
  const a = await peer(proxies.a.url, roomId, 'a', (at) => {
    aSeesB ??= at;
  });
  await sleep(300); // the first peer's media flows before the second comes
  proxies.b.log = [];
  const start = performance.now();
  const given = flow === 'given' || flow === 'pipe' ? routerCapabilities(roomId) : undefined;
  const b = await peer(
    proxies.b.url,
    roomId,
    'b',
    (at) => {
      bSeesA ??= at;
    },
    given as Parameters<typeof roomPeer>[4],
    flow === 'pipe',
  );
  try {
    const [seen, seenBy] = await withTimeout(
      Promise.all([settled(() => bSeesA), settled(() => aSeesB)]),
      TRIAL_TIMEOUT_MS,
      `${flow} rtt ${rttMs}: no frames`,
    );
    const rounds = proxyRounds(proxies.b.log, rttMs);
    return {
      flow,
      rttMs,
      seesOther: seen - start,
      cameraConfirmed: b.cameraConfirmedAt - start,
      otherSees: seenBy - start,
      ...rounds,
    };
  } finally {
    await b.close();
    await a.close();
  }
}

/**
 * Sequential rounds read from the joiner's proxy log. The proxy logs a
 * client message when the client sends it and a server message when the
 * server sends it; each then travels RTT/2 more. So the client can have
 * seen server message d before sending u only if `d.at + RTT/2 <= u.at`,
 * and the server can have seen u before sending d only if
 * `u.at + RTT/2 <= d.at`. A client request is in round 1 + the highest
 * round of the ANSWERS it could have seen (a request sent only after an
 * answer arrived is sequential to it); a client answer to a server request
 * stays in that request's round; a server message is in the round of the
 * latest client message it could have seen. An upper bound (a request sent
 * after an unrelated answer counts as behind it); needs RTT > 0.
 */
function proxyRounds(
  log: ProxiedMessage[],
  rttMs: number,
): Pick<Trial, 'requests' | 'firstConsumerRound' | 'cameraRound'> {
  const requests = log.filter(
    (m) => m.direction === 'up' && m.method !== undefined && m.method !== 'ping',
  ).length;
  if (rttMs === 0) return { requests, firstConsumerRound: 0, cameraRound: 0 };
  const half = rttMs / 2;
  const rounds = new Map<ProxiedMessage, number>();
  const highest = (candidates: ProxiedMessage[]) =>
    Math.max(0, ...candidates.map((m) => rounds.get(m) ?? 0));
  for (const message of log) {
    const earlier = log.filter((m) => m !== message && rounds.has(m));
    if (message.direction === 'up') {
      const seen = earlier.filter((d) => d.direction === 'down' && d.at + half <= message.at);
      const answers = seen.filter((d) => d.method === undefined);
      rounds.set(message, message.method === undefined ? highest(seen) : 1 + highest(answers));
    } else {
      const seen = earlier.filter((u) => u.direction === 'up' && u.at + half <= message.at);
      rounds.set(message, Math.max(1, highest(seen)));
    }
  }
  const consumer = log.find((m) => m.direction === 'down' && m.method === 'newConsumer');
  const produce = log.find((m) => m.direction === 'up' && m.method === 'produce');
  return {
    requests,
    firstConsumerRound: consumer ? (rounds.get(consumer) ?? 0) : 0,
    cameraRound: produce ? (rounds.get(produce) ?? 0) : 0,
  };
}

function report(trials: Trial[], loadBefore: number[], loadAfter: number[]): void {
  const metrics = ['seesOther', 'cameraConfirmed', 'otherSees'] as const;
  console.log(
    `\nbench:join, ${REPS} reps, medians in ms from the joiner's start (ratios vs anchor)`,
  );
  console.log(
    'rtt | metric          | room   | given  | pipe   | anchor | room/a | given/a | pipe/a | rounds room / given / pipe / anchor (first consumer,camera)',
  );
  for (const rttMs of RTTS) {
    for (const metric of metrics) {
      const room = median(pick(trials, 'room', rttMs, metric));
      const given = median(pick(trials, 'given', rttMs, metric));
      const pipe = median(pick(trials, 'pipe', rttMs, metric));
      const anchor = median(pick(trials, 'anchor', rttMs, metric));
      const rounds = (flow: Flow) =>
        `${mode(pick(trials, flow, rttMs, 'firstConsumerRound'))},${mode(pick(trials, flow, rttMs, 'cameraRound'))}`;
      console.log(
        `${String(rttMs).padStart(3)} | ${metric.padEnd(15)} | ${ms(room)} | ${ms(given)} | ${ms(pipe)} | ${ms(anchor)} | ${(room / anchor).toFixed(2)}   | ${(given / anchor).toFixed(2)}    | ${(pipe / anchor).toFixed(2)}   | ${rttMs ? `${rounds('room')} / ${rounds('given')} / ${rounds('pipe')} / ${rounds('anchor')}` : '-'}`,
      );
    }
  }
  for (const flow of FLOWS) {
    const slopes = metrics.map((metric) => {
      const low = median(pick(trials, flow, RTTS[0] as number, metric));
      const high = median(pick(trials, flow, RTTS[RTTS.length - 1] as number, metric));
      return `${metric} ${((high - low) / ((RTTS[RTTS.length - 1] as number) - (RTTS[0] as number))).toFixed(2)}`;
    });
    const requests = mode(trials.filter((t) => t.flow === flow).map((t) => t.requests));
    console.log(
      `slope (ms per ms of RTT, 0 -> 300) ${flow}: ${slopes.join(', ')}; requests ${requests}`,
    );
  }
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `os.loadavg() before ${load(loadBefore)}, after ${load(loadAfter)}; ${os.cpus().length} cores`,
  );
}

function pick(trials: Trial[], flow: Flow, rttMs: number, key: keyof Trial): number[] {
  return trials.filter((t) => t.flow === flow && t.rttMs === rttMs).map((t) => t[key] as number);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

function ms(value: number): string {
  return `${Math.round(value)}`.padStart(6);
}

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** Waits for the promise a callback will set, then for its value. */
async function settled(get: () => Promise<number> | undefined): Promise<number> {
  for (;;) {
    const value = get();
    if (value) return value;
    await sleep(5);
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

// wrtc 0.10 crashes in its native teardown at exit: always leave explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
