// The bot's camera and microphone: @roamhq/wrtc's nonstandard sources fed
// from timers. The tracks go to RoomClient like any browser track.
import wrtc from '@roamhq/wrtc';
import { CHUNK_SAMPLES, fillToneChunk, SAMPLE_RATE } from './beepTone.js';
import { createI420Frame, paintTestPattern } from './testPattern.js';

export interface SyntheticTrack {
  track: MediaStreamTrack;
  /** Pictures (or 10 ms audio chunks) handed to the source so far. */
  readonly produced: number;
  /** Stops the timer and the track. Idempotent. */
  stop(): void;
}

export interface SyntheticCameraOptions {
  width: number;
  height: number;
  fps: number;
}

/**
 * Calls `produce` every `intervalMs` until stopped; it gets the count handed
 * over so far and returns how many more it handed over.
 */
function driveTrack(
  track: MediaStreamTrack,
  intervalMs: number,
  produce: (produced: number) => number,
): SyntheticTrack {
  let produced = 0;
  const timer = setInterval(() => {
    produced += produce(produced);
  }, intervalMs);
  let stopped = false;
  return {
    track,
    get produced() {
      return produced;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      track.stop();
    },
  };
}

/** Colour bars with a frame counter (see testPattern.ts), `fps` pictures a second. */
export function startSyntheticCamera(options: SyntheticCameraOptions): SyntheticTrack {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const frame = createI420Frame(options.width, options.height);
  return driveTrack(source.createTrack(), 1000 / options.fps, (produced) => {
    paintTestPattern(frame, produced);
    source.onFrame(frame);
    return 1;
  });
}

/** A 440 Hz beep once a second, 48 kHz mono. */
export function startSyntheticMicrophone(): SyntheticTrack {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const samples = new Int16Array(CHUNK_SAMPLES);
  const started = performance.now();
  // Node timers are late by a few ms at a time; catching up from the clock keeps
  // the audio at real-time speed (a bounded burst, so a stall does not flood).
  return driveTrack(source.createTrack(), 10, (produced) => {
    const due = Math.floor((performance.now() - started) / 10);
    let chunk = produced;
    for (let burst = 0; chunk < due && burst < 20; burst++, chunk++) {
      fillToneChunk(samples, chunk);
      source.onData({
        samples,
        sampleRate: SAMPLE_RATE,
        bitsPerSample: 16,
        channelCount: 1,
        numberOfFrames: CHUNK_SAMPLES,
      });
    }
    // What a stall made us skip counts as produced, so the tone stays on the clock.
    return Math.max(chunk, due) - produced;
  });
}
