import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
export const wrtc = require('@roamhq/wrtc') as typeof import('@roamhq/wrtc');

const WIDTH = 320;
const HEIGHT = 240;
const stoppables: { stop(): void }[] = [];
const timers: NodeJS.Timeout[] = [];

/** A synthetic camera (grey frames every 33 ms) and a silent microphone, as wrtc tracks. */
export function syntheticTracks(): { video: MediaStreamTrack; audio: MediaStreamTrack } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const frame = { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT * 1.5) };
  frame.data.fill(128);
  timers.push(setInterval(() => source.onFrame(frame), 33));
  const video = source.createTrack();
  const audio = new wrtc.nonstandard.RTCAudioSource().createTrack();
  stoppables.push(video, audio);
  return {
    video: video as unknown as MediaStreamTrack,
    audio: audio as unknown as MediaStreamTrack,
  };
}

/** Resolves with the time (performance.now) of the first decoded frame of `track`. */
export function firstFrame(track: MediaStreamTrack): Promise<number> {
  const sink = new wrtc.nonstandard.RTCVideoSink(track as never);
  stoppables.push(sink);
  return new Promise((resolve) => {
    sink.onframe = () => {
      sink.onframe = undefined as never;
      resolve(performance.now());
    };
  });
}

/** libwebrtc's threads keep Node alive (or crash it at exit) until sinks and sources stop. */
export function stopMedia(): void {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const item of stoppables.splice(0)) item.stop();
}
