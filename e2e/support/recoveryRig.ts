// Recovery scenarios on the example app, shared by the browser specs
// (e2e/browser/recovery*.spec.ts) and the benchmark (bench/recovery.ts).
//
// What is real: the example server (`startVideoRoomServer`, the mediasoup
// 3.8.4 workers) in this process, listening on the host end of a veth; one
// Debian Chromium on the host; one browser inside a test namespace whose
// link the scenario cuts (support/cutClient.ts): Chromium, or Firefox ESR
// (support/firefoxInNetns.ts). The pages are the built example app, driven
// through support/peerPage.ts; times are read from the pages' own frame counts.
//
// Measured: from the moment the link is back (or the fault happened, for
// faults with no "back") to the first frame each receiver decodes afterwards.
// A frame is "new" when the tile's `getVideoPlaybackQuality().totalVideoFrames`
// grew (headless Firefox: `mozPaintedFrames`, see installProbe), sampled
// every 20 ms in the page (so +-20 ms).
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { CHROMIUM_ARGS } from './chromiumArgs.js';
import { type CutClient, createCutClient } from './cutClient.js';
import { launchFirefoxInNetns } from './firefoxInNetns.js';
import { type PeerBrowser, type PeerPage, playwrightPeers, puppeteerPeers } from './peerPage.js';
// Its `declare global` types `window.vroom` (also when the bench compiles this file).
import type {} from './videoRoomPage.js';

export interface RigOptions {
  /** Namespace name (1-9 lowercase letters/digits) and the two /24s (first three octets). */
  name: string;
  primary: string;
  secondary: string;
  /** Worker processes of the server (2 for the worker-death scenario). */
  workers?: number;
  /** The browser behind the cut link (default Chromium). */
  cutBrowser?: 'chromium' | 'firefox';
  /** The server's downlink layer policy (default off, as the server's default; the network spec and bench turn it on). */
  downlinkLayers?: boolean;
}

export interface Rig {
  server: VideoRoomServer;
  cut: CutClient;
  origin: string;
  /** Chromium on the host: never cut. */
  host: PeerBrowser;
  /** The browser inside the namespace: the client whose network fails. */
  cutBrowser: PeerBrowser;
  close(): Promise<void>;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const cut = createCutClient({
    name: options.name,
    primary: options.primary,
    secondary: options.secondary,
  });
  let server: VideoRoomServer | undefined;
  let host: PeerBrowser | undefined;
  let cutBrowser: PeerBrowser | undefined;
  try {
    server = await startVideoRoomServer({
      host: cut.serverIp,
      port: 0,
      rtcListenIp: cut.serverIp,
      webRoot: fileURLToPath(new URL('../../examples/video-room/dist/', import.meta.url)),
      sfu: { workers: options.workers ?? 1, downlinkLayers: options.downlinkLayers ?? false },
    });
    const origin = new URL(server.url).origin;
    // getUserMedia needs a secure context: count this plain-http test host as one.
    const args = [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${origin}`];
    host = playwrightPeers(
      await chromium.launch({ executablePath: '/usr/bin/chromium', args, headless: true }),
    );
    cutBrowser =
      options.cutBrowser === 'firefox'
        ? await firefoxCutBrowser(cut)
        : playwrightPeers(
            await chromium.launch({ executablePath: cut.executablePath, args, headless: true }),
          );
    const started = { server, host, cutBrowser };
    return {
      server,
      cut,
      origin,
      host,
      cutBrowser,
      async close() {
        // Each step on its own: one failing must not leave the namespace behind.
        await started.cutBrowser.close().catch(() => undefined);
        await started.host.close().catch(() => undefined);
        await started.server.close().catch(() => undefined);
        await cut.delete();
      },
    };
  } catch (error) {
    await cutBrowser?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await cut.delete();
    throw error;
  }
}

/** Firefox ESR inside the cut client's namespace, with the prefs the example page needs. */
async function firefoxCutBrowser(cut: CutClient): Promise<PeerBrowser> {
  const firefox = await launchFirefoxInNetns({
    netns: cut.netns,
    prefs: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      // getUserMedia needs a secure context: count this plain-http test host as one.
      'dom.securecontext.allowlist': cut.serverIp,
      // Remote sound may start without a click (the page would otherwise ask for one).
      'media.autoplay.default': 0,
    },
  });
  const peers = puppeteerPeers(firefox.browser);
  // Closing also stops Firefox's process and its relay and removes the profile.
  return { newPage: (label) => peers.newPage(label), close: () => firefox.close() };
}

/** What the probe keeps in the page. */
interface Probe {
  /** Per display name: times (ms since the epoch) at which its tile showed a new frame. */
  frames: Record<string, number[]>;
  reconnects: { how: string; afterMs: number; attempts: number; at: number }[];
  reconnecting: { at: number; code: string }[];
  states: { state: string; at: number }[];
  errors: { code: string; message: string; at: number }[];
  peerLeft: { name: string; at: number }[];
}

declare global {
  interface Window {
    __recoveryProbe?: Probe;
  }
}

/** Runs in the page: samples every tile's frame count and records the room's recovery events. */
function installProbe(): void {
  const room = window.vroom?.room;
  if (!room) throw new Error('window.vroom.room is missing: is this the example page?');
  const probe: Probe = {
    frames: {},
    reconnects: [],
    reconnecting: [],
    states: [],
    errors: [],
    peerLeft: [],
  };
  window.__recoveryProbe = probe;
  const last = new Map<string, number>();
  setInterval(() => {
    const now = Date.now();
    for (const tile of document.querySelectorAll<HTMLElement>('#grid figure.tile')) {
      const name = tile.dataset.displayName;
      const video = tile.querySelector<HTMLVideoElement & { mozPaintedFrames?: number }>('video');
      if (!name || tile.dataset.peerId === 'local' || !video) continue;
      // Headless Firefox never composites, so its `totalVideoFrames` stays 0
      // while it decodes and plays; its own count of frames handed on for
      // display (`mozPaintedFrames`) grows with each new frame and stops when
      // the track gets none. (Inline, no helper function: tsx would wrap a
      // named one in `__name()`, which does not exist in the page.)
      const count = video.mozPaintedFrames ?? video.getVideoPlaybackQuality().totalVideoFrames;
      const key = `${name}/${tile.dataset.peerId}`;
      if (last.get(key) !== count) {
        last.set(key, count);
        const list = probe.frames[name] ?? [];
        list.push(now);
        // Only recent history matters; a long run must not grow without bound.
        if (list.length > 5000) list.splice(0, 2500);
        probe.frames[name] = list;
      }
    }
  }, 20);
  room.on('reconnected', (e) => probe.reconnects.push({ ...e, at: Date.now() }));
  room.on('reconnecting', ({ cause }) =>
    probe.reconnecting.push({ at: Date.now(), code: cause.code }),
  );
  room.on('connectionstatechange', (state) => probe.states.push({ state, at: Date.now() }));
  room.on('error', (error) =>
    probe.errors.push({ code: error.code, message: error.message, at: Date.now() }),
  );
  room.on('peerleft', (peer) => probe.peerLeft.push({ name: peer.displayName, at: Date.now() }));
}

/** Opens the example page as `name` in `roomId`, waits for 'connected' and installs the probe. */
export async function openPeer(
  browser: PeerBrowser,
  origin: string,
  roomId: string,
  name: string,
  limitMs = 30_000,
): Promise<PeerPage> {
  const page = await browser.newPage(name);
  try {
    await page.goto(
      `${origin}/?room=${encodeURIComponent(roomId)}&name=${encodeURIComponent(name)}`,
    );
    await page.waitFor(
      () => document.querySelector('#status')?.textContent === 'connected',
      limitMs,
    );
    await page.evaluate(installProbe);
    return page;
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}

export function readProbe(page: PeerPage): Promise<Probe> {
  return page.evaluate(() => {
    const probe = window.__recoveryProbe;
    if (!probe) throw new Error('no probe in this page');
    return probe;
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `page` shows a frame of `from` newer than `after` (ms since the
 * epoch); resolves with that frame's time minus `after`, or undefined when
 * `limitMs` passed first (the bound turns a hang into a reported failure).
 */
export async function firstFrameAfter(
  page: PeerPage,
  from: string,
  after: number,
  limitMs: number,
  stallMs = 0,
): Promise<number | undefined> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    // With `stallMs`: the first frame after a stretch of at least that long
    // without one (frames already in flight when a worker dies are not "back").
    const at = await page.evaluate(
      ({ name, t, stall }) => {
        const frames = window.__recoveryProbe?.frames[name] ?? [];
        return frames.find((f, i) => f > t && (stall === 0 || f - (frames[i - 1] ?? 0) >= stall));
      },
      { name: from, t: after, stall: stallMs },
    );
    if (at !== undefined) return at - after;
    if (Date.now() > deadline) return undefined;
    await sleep(100);
  }
}

/** Waits until both pages decode frames of the other (the room is live). */
export async function waitForMedia(pages: [PeerPage, string][], limitMs = 30_000): Promise<void> {
  const start = Date.now();
  for (const [page, from] of pages) {
    const got = await firstFrameAfter(page, from, start, limitMs);
    if (got === undefined) throw new Error(`no frame of ${from} within ${limitMs} ms`);
  }
}

/** Longest gap (ms) between consecutive new frames of `from` within [t0, t1]. */
export async function longestGap(
  page: PeerPage,
  from: string,
  t0: number,
  t1: number,
): Promise<number> {
  const frames = await page.evaluate(
    ({ name, a, b }) =>
      (window.__recoveryProbe?.frames[name] ?? []).filter((f) => f >= a && f <= b),
    { name: from, a: t0, b: t1 },
  );
  let gap = 0;
  let previous = t0;
  for (const f of [...frames, t1]) {
    gap = Math.max(gap, f - previous);
    previous = f;
  }
  return gap;
}

/** The page's own producer ids and the consumer ids of what it receives, sorted. */
export function mediaIds(page: PeerPage): Promise<{ producers: string[]; consumers: string[] }> {
  return page.evaluate(() => {
    const room = window.vroom!.room;
    return {
      producers: room.localTracks.map((t) => t.producerId).sort(),
      consumers: room.peers.flatMap((p) => p.tracks.map((t) => t.consumerId)).sort(),
    };
  });
}

export interface TrialResult {
  /** Media came back both ways within the limit. */
  recovered: boolean;
  /** 'rejoined' events at the cut client (a full rejoin: new ids). */
  rejoins: number;
  /** Link back -> first new frame of the cut client at the host receiver. */
  hostGotCutMs: number | undefined;
  /** Link back -> first new frame of the host peer at the cut client. */
  cutGotHostMs: number | undefined;
  /** The larger of the two: media back both ways. */
  backMs: number | undefined;
  /** Recovery events the cut client reported. */
  how: string[];
  idsKept: boolean;
  /** Fault -> the cut client's 'reconnecting' (signaling noticed lost), if it was. */
  reconnectingAfterMs: number | undefined;
  /** Fault -> its 'reconnected'. */
  reconnectedAfterMs: number | undefined;
  /** Before and after, when they differ (to tell what changed). */
  idsChanged?: { before: unknown; after: unknown };
  /**
   * Longest stretch without a new frame of the cut client at the host, from
   * the fault to the end of the measure: proves the fault really cut media
   * (about the outage for a cut link; small for a signaling-only drop).
   */
  mediaGapMs: number;
  /** The same the other way: frames of the host peer at the cut client. */
  cutMediaGapMs: number;
}

export interface PairRoom {
  hostPage: PeerPage;
  cutPage: PeerPage;
  hostName: string;
  cutName: string;
}

/** Two peers in a fresh room, one per browser, decoding each other. */
export async function openPair(rig: Rig, roomId: string): Promise<PairRoom> {
  const hostName = `host-${roomId}`;
  const cutName = `cut-${roomId}`;
  const hostPage = await openPeer(rig.host, rig.origin, roomId, hostName);
  const cutPage = await openPeer(rig.cutBrowser, rig.origin, roomId, cutName);
  await waitForMedia([
    [hostPage, cutName],
    [cutPage, hostName],
  ]);
  // Camera and microphone both published and consumed on each side, so the
  // ids compared around a fault are complete (the microphone may land later).
  await settleTracks([hostPage, cutPage]);
  return { hostPage, cutPage, hostName, cutName };
}

/** Waits until each page publishes two tracks and receives every track of the others. */
async function settleTracks(pages: PeerPage[], limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const ids = await Promise.all(pages.map(mediaIds));
    const published = ids.reduce((sum, { producers }) => sum + producers.length, 0);
    const settled = ids.every(
      ({ producers, consumers }) =>
        producers.length === 2 && consumers.length === published - producers.length,
    );
    if (settled) return;
    if (Date.now() > deadline) {
      throw new Error(`tracks did not settle in ${limitMs} ms: ${JSON.stringify(ids)}`);
    }
    await sleep(200);
  }
}

export async function closePair(pair: PairRoom): Promise<void> {
  for (const page of [pair.hostPage, pair.cutPage]) {
    // Leave first: a closed page's session would sit out the server's resume grace.
    await page
      .evaluate(() =>
        Promise.race([
          window.vroom?.room.leave(),
          new Promise((resolve) => setTimeout(resolve, 2000)),
        ]),
      )
      .catch(() => undefined);
    await page.close().catch(() => undefined);
  }
}

/** After the fault at `after`: waits for media both ways and sums up what the cut client did. */
export async function measureBack(
  pair: PairRoom,
  after: number,
  idsBefore: { host: unknown; cut: unknown },
  limitMs: number,
  faultAt = after,
  stallMs = 0,
): Promise<TrialResult> {
  const [hostGotCutMs, cutGotHostMs] = await Promise.all([
    firstFrameAfter(pair.hostPage, pair.cutName, after, limitMs, stallMs),
    firstFrameAfter(pair.cutPage, pair.hostName, after, limitMs, stallMs),
  ]);
  const recovered = hostGotCutMs !== undefined && cutGotHostMs !== undefined;
  // Let a recovery that media did not wait for (signaling resume) finish before reading.
  await pair.cutPage
    .waitFor(() => window.vroom?.room.connectionState === 'connected', limitMs)
    .catch(() => undefined);
  const probe = await readProbe(pair.cutPage);
  const recent = probe.reconnects.filter((r) => r.at >= after - 120_000);
  const lost = probe.reconnecting.find((r) => r.at >= faultAt);
  const back = probe.reconnects.find((r) => r.at >= faultAt);
  const idsAfter = { host: await mediaIds(pair.hostPage), cut: await mediaIds(pair.cutPage) };
  const mediaGapMs = await longestGap(
    pair.hostPage,
    pair.cutName,
    faultAt,
    after + (hostGotCutMs ?? limitMs),
  );
  const cutMediaGapMs = await longestGap(
    pair.cutPage,
    pair.hostName,
    faultAt,
    after + (cutGotHostMs ?? limitMs),
  );
  return {
    recovered,
    rejoins: recent.filter((r) => r.how === 'rejoined').length,
    hostGotCutMs,
    cutGotHostMs,
    backMs: recovered ? Math.max(hostGotCutMs, cutGotHostMs) : undefined,
    how: recent.map((r) => r.how),
    idsKept: JSON.stringify(idsAfter) === JSON.stringify(idsBefore),
    reconnectingAfterMs: lost ? lost.at - faultAt : undefined,
    reconnectedAfterMs: back ? back.at - faultAt : undefined,
    ...(JSON.stringify(idsAfter) === JSON.stringify(idsBefore)
      ? {}
      : { idsChanged: { before: idsBefore, after: idsAfter } }),
    mediaGapMs,
    cutMediaGapMs,
  };
}

async function idsOf(pair: PairRoom): Promise<{ host: unknown; cut: unknown }> {
  return { host: await mediaIds(pair.hostPage), cut: await mediaIds(pair.cutPage) };
}

/** The cut client's link goes down for `outageMs`, then back. */
export async function outageTrial(
  rig: Rig,
  pair: PairRoom,
  outageMs: number,
  limitMs = 30_000,
): Promise<TrialResult> {
  const before = await idsOf(pair);
  const cutAt = Date.now();
  rig.cut.setLink(false);
  try {
    await sleep(outageMs);
  } finally {
    rig.cut.setLink(true);
  }
  const back = Date.now();
  return measureBack(pair, back, before, limitMs, cutAt);
}

/** Network change: the cut client's traffic moves to a new address on another link. */
export async function networkChangeTrial(
  rig: Rig,
  pair: PairRoom,
  limitMs = 30_000,
): Promise<TrialResult> {
  const before = await idsOf(pair);
  rig.cut.switchLink();
  const moved = Date.now();
  return measureBack(pair, moved, before, limitMs);
}

/** The server's session of `displayName` in `roomId`. */
export function serverPeer(rig: Rig, roomId: string, displayName: string) {
  const peer = rig.server.sfu
    .room(roomId)
    ?.peers.find((candidate) => candidate.info().displayName === displayName);
  if (!peer) throw new Error(`no server peer "${displayName}" in room "${roomId}"`);
  return peer;
}

/**
 * What the server knows of a peer's receive side: each consumer's state and
 * layers, and each transport's ICE state and outgoing bitrate estimate. The
 * bench prints it for a trial that did not recover, to tell "not sent" from
 * "sent but not decoded".
 */
export async function receiveDiagnosis(
  rig: Rig,
  roomId: string,
  displayName: string,
): Promise<{ consumers: unknown[]; transports: unknown[] }> {
  const peer = serverPeer(rig, roomId, displayName);
  const consumers = await Promise.all(
    [...peer.consumers.values()].map(async (c) => {
      const stats = (await c.getStats().catch(() => [])) as {
        type: string;
        packetCount?: number;
        byteCount?: number;
      }[];
      const outbound = stats.find((s) => s.type === 'outbound-rtp');
      return {
        kind: c.kind,
        type: c.type,
        paused: c.paused,
        producerPaused: c.producerPaused,
        score: c.score,
        currentLayers: c.currentLayers,
        preferredLayers: c.preferredLayers,
        packetsSent: outbound?.packetCount,
        bytesSent: outbound?.byteCount,
      };
    }),
  );
  const transports = await Promise.all(
    [...peer.transports.values()].map(async (entry) => {
      const t = entry.transport;
      const [stats] = (await t.getStats().catch(() => [])) as {
        iceState?: string;
        availableOutgoingBitrate?: number;
        bytesSent?: number;
        bytesReceived?: number;
      }[];
      return {
        iceState: stats?.iceState,
        availableOutgoingBitrate: stats?.availableOutgoingBitrate,
        bytesSent: stats?.bytesSent,
        bytesReceived: stats?.bytesReceived,
      };
    }),
  );
  return { consumers, transports };
}

export interface SignalingDropResult extends TrialResult {
  /** Longest stretch without a new frame, each way, from the drop to 2 s after 'reconnected'. */
  longestGapMs: number;
}

/** The server closes the cut client's WebSocket; the media path stays up. */
export async function signalingDropTrial(
  rig: Rig,
  pair: PairRoom,
  roomId: string,
  limitMs = 30_000,
): Promise<SignalingDropResult> {
  const before = await idsOf(pair);
  const probeBefore = await readProbe(pair.cutPage);
  const dropped = Date.now();
  serverPeer(rig, roomId, pair.cutName).dropConnection(4000, 'test: signaling drop');
  // Wait for the client to notice and come back ('reconnected' after the drop).
  const deadline = Date.now() + limitMs;
  let reconnectedAt: number | undefined;
  while (Date.now() < deadline) {
    const probe = await readProbe(pair.cutPage);
    const event = probe.reconnects
      .slice(probeBefore.reconnects.length)
      .find((r) => r.at >= dropped);
    if (event) {
      reconnectedAt = event.at;
      break;
    }
    await sleep(100);
  }
  const end = (reconnectedAt ?? Date.now()) + 2000;
  await sleep(Math.max(0, end - Date.now()));
  const result = await measureBack(pair, dropped, before, limitMs);
  const gaps = await Promise.all([
    longestGap(pair.hostPage, pair.cutName, dropped, end),
    longestGap(pair.cutPage, pair.hostName, dropped, end),
  ]);
  return {
    ...result,
    recovered: result.recovered && reconnectedAt !== undefined,
    longestGapMs: Math.max(...gaps),
  };
}

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}
