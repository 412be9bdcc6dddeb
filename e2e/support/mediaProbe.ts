// What a page receives from one remote peer, sampled every 250 ms from the
// browser's own WebRTC stats (inbound-rtp of that peer's camera and
// microphone), and what it sends (outbound-rtp of its camera): the raw
// series the bad-network figures are computed from (support/networkFigures.ts).
// Runs on the example page (window.vroom.room), in Chromium and Firefox.
import type { PeerPage } from './peerPage.js';
import type {} from './videoRoomPage.js';

export interface MediaSample {
  at: number;
  /** Video of the watched peer (-1 before its track exists). */
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  /** Cumulative seconds (jitterBufferDelay) and frames (jitterBufferEmittedCount). */
  videoJbDelay: number;
  videoJbEmitted: number;
  videoPackets: number;
  videoNacks: number;
  freezeCount: number;
  freezeSeconds: number;
  /** Audio of the watched peer. */
  audioJbDelay: number;
  audioJbEmitted: number;
  concealedSamples: number;
  totalSamples: number;
  /** This page's own camera, summed over its simulcast streams. */
  sentPackets: number;
  sentRetransmitted: number;
  /** Cumulative seconds packets waited in the sender's pacer (Chromium `totalPacketSendDelay`). */
  sentPacerDelay: number;
}

declare global {
  interface Window {
    __mediaProbe?: { from: string; samples: MediaSample[] };
  }
}

/** ~10 minutes at 4 samples a second: the series is bounded. */
const MAX_SAMPLES = 2400;

/** Starts sampling, in `page`, what it receives from `from` (a display name). */
export async function installMediaProbe(page: PeerPage, from: string): Promise<void> {
  await page.evaluate(
    ({ name, max }) => {
      const room = window.vroom?.room;
      if (!room) throw new Error('window.vroom.room is missing: is this the example page?');
      const probe = { from: name, samples: [] as MediaSample[] };
      window.__mediaProbe = probe;
      type Stats = Record<string, number | string | undefined>;
      let busy = false;
      // No named inner functions here: the test runner's transpiler would
      // wrap them in a helper (`__name`) that the page does not have.
      setInterval(async () => {
        if (busy) return;
        busy = true;
        try {
          const peer = room.peers.find((p) => p.displayName === name);
          const camera = peer?.track('camera');
          const microphone = peer?.track('microphone');
          const reports = await Promise.all([
            camera ? room.getStats({ consumerId: camera.consumerId }) : undefined,
            microphone ? room.getStats({ consumerId: microphone.consumerId }) : undefined,
            room.getStats({ source: 'camera' }).catch(() => undefined),
          ]);
          const types = ['inbound-rtp', 'inbound-rtp', 'outbound-rtp'];
          const [v, a, o] = reports.map((report, i) => {
            const out: Record<string, number> = {};
            report?.forEach((stats: Stats) => {
              if (stats.type !== types[i]) return;
              for (const [key, value] of Object.entries(stats)) {
                if (typeof value !== 'number') continue;
                // Resolution of the widest stream, not a sum.
                out[key] =
                  key.startsWith('frame') && key !== 'framesDecoded'
                    ? Math.max(out[key] ?? 0, value)
                    : (out[key] ?? 0) + value;
              }
            });
            return out;
          }) as [Record<string, number>, Record<string, number>, Record<string, number>];
          probe.samples.push({
            at: Date.now(),
            framesDecoded: camera ? (v.framesDecoded ?? 0) : -1,
            frameWidth: v.frameWidth ?? 0,
            frameHeight: v.frameHeight ?? 0,
            videoJbDelay: v.jitterBufferDelay ?? 0,
            videoJbEmitted: v.jitterBufferEmittedCount ?? 0,
            videoPackets: v.packetsReceived ?? 0,
            videoNacks: v.nackCount ?? 0,
            freezeCount: v.freezeCount ?? 0,
            freezeSeconds: v.totalFreezesDuration ?? 0,
            audioJbDelay: a.jitterBufferDelay ?? 0,
            audioJbEmitted: a.jitterBufferEmittedCount ?? 0,
            concealedSamples: a.concealedSamples ?? 0,
            totalSamples: a.totalSamplesReceived ?? 0,
            sentPackets: o.packetsSent ?? 0,
            sentRetransmitted: o.retransmittedPacketsSent ?? 0,
            sentPacerDelay: o.totalPacketSendDelay ?? 0,
          });
          if (probe.samples.length > max) probe.samples.shift();
        } finally {
          busy = false;
        }
      }, 250);
    },
    { name: from, max: MAX_SAMPLES },
  );
}

export function readMediaProbe(page: PeerPage): Promise<MediaSample[]> {
  return page.evaluate(() => window.__mediaProbe?.samples ?? []);
}
