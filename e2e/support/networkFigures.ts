// The figures of issue 18, computed from a page's sampled stats
// (support/mediaProbe.ts). Pure functions over the series: every window is
// [t0, t1] in ms since the epoch, read between the samples nearest its ends.
import type { MediaSample } from './mediaProbe.js';

/** The last sample at or before `t` (the first one if none is). */
function at(samples: readonly MediaSample[], t: number): MediaSample | undefined {
  let found: MediaSample | undefined;
  for (const sample of samples) {
    if (sample.at > t) break;
    found = sample;
  }
  return found ?? samples[0];
}

function delta(
  samples: readonly MediaSample[],
  t0: number,
  t1: number,
  read: (s: MediaSample) => number,
): { value: number; seconds: number } | undefined {
  const a = at(samples, t0);
  const b = at(samples, t1);
  if (!a || !b || b.at <= a.at) return undefined;
  return { value: read(b) - read(a), seconds: (b.at - a.at) / 1000 };
}

/** Decoded frames per second of the watched video over the window. */
export function meanFps(
  samples: readonly MediaSample[],
  t0: number,
  t1: number,
): number | undefined {
  const d = delta(samples, t0, t1, (s) => s.framesDecoded);
  return d ? d.value / d.seconds : undefined;
}

/** Whole seconds of the window in which fewer than `fps` frames were decoded. */
export function secondsUnder(
  samples: readonly MediaSample[],
  t0: number,
  t1: number,
  fps: number,
): number {
  let count = 0;
  for (let t = t0; t + 1000 <= t1; t += 1000) {
    const rate = meanFps(samples, t, t + 1000);
    if (rate !== undefined && rate < fps) count++;
  }
  return count;
}

/** ms from `after` to the first sample whose video is at least `width` wide (undefined: never). */
export function timeToWidth(
  samples: readonly MediaSample[],
  after: number,
  width: number,
): number | undefined {
  const hit = samples.find((s) => s.at >= after && s.frameWidth >= width);
  return hit ? hit.at - after : undefined;
}

/** ms from `after` to the first sample whose video is narrower than `width`. */
export function timeBelowWidth(
  samples: readonly MediaSample[],
  after: number,
  width: number,
): number | undefined {
  const hit = samples.find((s) => s.at >= after && s.frameWidth > 0 && s.frameWidth < width);
  return hit ? hit.at - after : undefined;
}

/** Share (0-1) of the audio samples received in the window that were concealed. */
export function concealment(
  samples: readonly MediaSample[],
  t0: number,
  t1: number,
): number | undefined {
  const concealed = delta(samples, t0, t1, (s) => s.concealedSamples);
  const total = delta(samples, t0, t1, (s) => s.totalSamples);
  if (!concealed || !total || total.value <= 0) return undefined;
  return concealed.value / total.value;
}

/** Mean jitter-buffer delay (ms) of what left the buffer in the window: the figure. */
export function jitterBufferMs(
  samples: readonly MediaSample[],
  t0: number,
  t1: number,
  kind: 'video' | 'audio' = 'video',
): number | undefined {
  const delay = delta(samples, t0, t1, (s) => (kind === 'video' ? s.videoJbDelay : s.audioJbDelay));
  const emitted = delta(samples, t0, t1, (s) =>
    kind === 'video' ? s.videoJbEmitted : s.audioJbEmitted,
  );
  if (!delay || !emitted || emitted.value <= 0) return undefined;
  return (delay.value / emitted.value) * 1000;
}

/** Mean time (ms) the page's own camera packets waited in its sender's pacer over the window. */
export function pacerDelayMs(
  samples: readonly MediaSample[],
  t0: number,
  t1: number,
): number | undefined {
  const delay = delta(samples, t0, t1, (s) => s.sentPacerDelay);
  const packets = delta(samples, t0, t1, (s) => s.sentPackets);
  if (!delay || !packets || packets.value <= 0) return undefined;
  return (delay.value / packets.value) * 1000;
}

/** Per second from `t0` to `t1`: a short series of one figure, for the evidence tables. */
export function perSecond(
  t0: number,
  t1: number,
  figure: (a: number, b: number) => number | undefined,
  stepMs = 1000,
): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (let t = t0; t + stepMs <= t1; t += stepMs) out.push(figure(t, t + stepMs));
  return out;
}
