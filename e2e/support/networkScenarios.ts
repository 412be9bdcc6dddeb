// Bad-network scenarios of issue 18 on the recovery rig (support/recoveryRig.ts):
// the cut client A runs inside a namespace, B on the host; A's link is
// shaped with tbf (support/shapedLink.ts) or cut. Shared by the browser
// specs (e2e/browser/network*.spec.ts) and the benchmark (bench/network.ts).
// Every figure is read from the receiving page's own stats (mediaProbe.ts).
import { type BweRecorder, type BweTrace, recordBwe } from './bweRecorder.js';
import { installMediaProbe, type MediaSample, readMediaProbe } from './mediaProbe.js';
import {
  concealment,
  jitterBufferMs,
  meanFps,
  pacerDelayMs,
  perSecond,
  secondsUnder,
  timeBelowWidth,
  timeToWidth,
} from './networkFigures.js';
import {
  closePair,
  longestGap,
  openPair,
  type PairRoom,
  type Rig,
  serverPeer,
} from './recoveryRig.js';
import { clearLink, type LinkDirection, shapeLink } from './shapedLink.js';

/** The camera's full width (the example captures 1280x720). */
export const FULL_WIDTH = 1280;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ShapedResult {
  direction: LinkDirection;
  kbit: number;
  /** Receiver's mean fps from 8 s after the drop to the clear. */
  fpsFrom8s: number | undefined;
  /** Whole seconds (of the shaped period) under 5 fps. */
  secondsUnder5: number;
  /** Longest stretch without a new frame, from the drop to 10 s after the clear (ms). */
  longestStallMs: number;
  /** Drop -> first frame narrower than full (ms). */
  firstLowerMs: number | undefined;
  /** Clear -> first full-width frame (ms). */
  fullBackMs: number | undefined;
  /** Share of audio concealed from 3 s after the drop to the clear, and in the first 3 s. */
  concealed: number | undefined;
  concealedFirst3s: number | undefined;
  /** Receiver's video jitter-buffer delay (ms): 5 s before the drop, 10-15 s after the clear. */
  jbBeforeMs: number | undefined;
  jbAfterMs: number | undefined;
  trace?: BweTrace;
}

export interface OutageResult {
  outageMs: number;
  /** B's jitter-buffer delay for A's video (ms): 5 s before the cut, 0-10 s and 10-15 s after. */
  jbBeforeMs: number | undefined;
  jbFirst10sMs: number | undefined;
  jbAfterMs: number | undefined;
  /** The same for A's audio at B. */
  audioJbBeforeMs: number | undefined;
  audioJbAfterMs: number | undefined;
  /** Evidence, per second from 2 s before the link is back: B's video jitter delay, packets, NACKs; A's pacer delay. */
  evidence: {
    jbMs: (number | undefined)[];
    packets: (number | undefined)[];
    nacks: (number | undefined)[];
    pacerMs: (number | undefined)[];
    sentPackets: (number | undefined)[];
    retransmitted: (number | undefined)[];
  };
}

/** The pair plus each page's probe of the other, once A receives B (and B receives A) at full width. */
export async function openWatchedPair(rig: Rig, roomId: string): Promise<PairRoom> {
  const pair = await openPair(rig, roomId);
  try {
    await installMediaProbe(pair.cutPage, pair.hostName);
    await installMediaProbe(pair.hostPage, pair.cutName);
    await untilFullWidth(pair, 30_000);
    return pair;
  } catch (error) {
    await closePair(pair);
    throw error;
  }
}

async function untilFullWidth(pair: PairRoom, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const [a, b] = await Promise.all([readMediaProbe(pair.cutPage), readMediaProbe(pair.hostPage)]);
    if ((a.at(-1)?.frameWidth ?? 0) >= FULL_WIDTH && (b.at(-1)?.frameWidth ?? 0) >= FULL_WIDTH)
      return;
    if (Date.now() > deadline) {
      throw new Error(
        `video not at ${FULL_WIDTH} px both ways in ${limitMs} ms (A sees ${a.at(-1)?.frameWidth}, B sees ${b.at(-1)?.frameWidth})`,
      );
    }
    await sleep(250);
  }
}

export interface ShapedOptions {
  direction: LinkDirection;
  kbit: number;
  holdMs: number;
  /** How long to watch after the clear (default 16 s: the jitter figure needs 15). */
  afterMs?: number;
  /** Record the server's BWE trace of A's downlink (for fixtures). */
  record?: boolean;
}

/** A's link shaped for `holdMs`, then cleared; figures at the receiver of the shaped direction. */
export async function shapedTrial(
  rig: Rig,
  pair: PairRoom,
  roomId: string,
  options: ShapedOptions,
): Promise<ShapedResult> {
  const { direction, kbit, holdMs } = options;
  // Downlink: A (cut page) receives B through the slow link; uplink: B receives A.
  const receiver = direction === 'downlink' ? pair.cutPage : pair.hostPage;
  const sender = direction === 'downlink' ? pair.hostName : pair.cutName;
  let recorder: BweRecorder | undefined;
  if (options.record) {
    const producers = [...serverPeer(rig, roomId, pair.hostName).producers.values()];
    recorder = recordBwe(
      serverPeer(rig, roomId, pair.cutName),
      `${direction} ${kbit} kbit/s for ${holdMs / 1000} s`,
      producers,
    );
    await sleep(3000);
  }
  await sleep(5000);
  const drop = Date.now();
  shapeLink(rig.cut, direction, kbit);
  recorder?.mark('shaped');
  try {
    await sleep(holdMs);
  } finally {
    clearLink(rig.cut, direction);
  }
  const clear = Date.now();
  recorder?.mark('cleared');
  await sleep(options.afterMs ?? 16_000);
  const samples = await readMediaProbe(receiver);
  const trace = recorder?.stop();
  return {
    direction,
    kbit,
    fpsFrom8s: meanFps(samples, drop + 8000, clear),
    secondsUnder5: secondsUnder(samples, drop, clear, 5),
    longestStallMs: await longestGap(receiver, sender, drop, Math.min(Date.now(), clear + 10_000)),
    firstLowerMs: timeBelowWidth(samples, drop, FULL_WIDTH),
    fullBackMs: timeToWidth(samples, clear, FULL_WIDTH),
    concealed: concealment(samples, drop + 3000, clear),
    concealedFirst3s: concealment(samples, drop, drop + 3000),
    jbBeforeMs: jitterBufferMs(samples, drop - 5000, drop),
    jbAfterMs: jitterBufferMs(samples, clear + 10_000, clear + 15_000),
    ...(trace ? { trace } : {}),
  };
}

/** A's link down for `outageMs`; B's jitter-buffer delay for A's media before and after. */
export async function outageDelayTrial(
  rig: Rig,
  pair: PairRoom,
  outageMs: number,
): Promise<OutageResult> {
  await sleep(6000);
  const cutAt = Date.now();
  rig.cut.setLink(false);
  try {
    await sleep(outageMs);
  } finally {
    rig.cut.setLink(true);
  }
  const back = Date.now();
  await sleep(16_000);
  const atB = await readMediaProbe(pair.hostPage);
  const atA = await readMediaProbe(pair.cutPage);
  return {
    outageMs,
    jbBeforeMs: jitterBufferMs(atB, cutAt - 5000, cutAt),
    jbFirst10sMs: jitterBufferMs(atB, back, back + 10_000),
    jbAfterMs: jitterBufferMs(atB, back + 10_000, back + 15_000),
    audioJbBeforeMs: jitterBufferMs(atB, cutAt - 5000, cutAt, 'audio'),
    audioJbAfterMs: jitterBufferMs(atB, back + 10_000, back + 15_000, 'audio'),
    evidence: evidence(atB, atA, back - 2000, back + 15_000),
  };
}

function evidence(atB: MediaSample[], atA: MediaSample[], t0: number, t1: number) {
  const change =
    (samples: MediaSample[], read: (s: MediaSample) => number) => (a: number, b: number) => {
      const x = samples.findLast((s) => s.at <= a);
      const y = samples.findLast((s) => s.at <= b);
      return x && y ? read(y) - read(x) : undefined;
    };
  const round = (values: (number | undefined)[]) =>
    values.map((v) => (v === undefined ? undefined : Math.round(v)));
  return {
    jbMs: round(perSecond(t0, t1, (a, b) => jitterBufferMs(atB, a, b))),
    packets: perSecond(
      t0,
      t1,
      change(atB, (s) => s.videoPackets),
    ),
    nacks: perSecond(
      t0,
      t1,
      change(atB, (s) => s.videoNacks),
    ),
    pacerMs: round(perSecond(t0, t1, (a, b) => pacerDelayMs(atA, a, b))),
    sentPackets: perSecond(
      t0,
      t1,
      change(atA, (s) => s.sentPackets),
    ),
    retransmitted: perSecond(
      t0,
      t1,
      change(atA, (s) => s.sentRetransmitted),
    ),
  };
}

export { closePair };
