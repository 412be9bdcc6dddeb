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

/** Colour bars with a frame counter (see testPattern.ts), `fps` pictures a second. */
export function startSyntheticCamera(options: SyntheticCameraOptions): SyntheticTrack {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const frame = createI420Frame(options.width, options.height);
  let produced = 0;
  const timer = setInterval(() => {
    paintTestPattern(frame, produced);
    source.onFrame(frame);
    produced++;
  }, 1000 / options.fps);
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

/** A 440 Hz beep once a second, 48 kHz mono. */
export function startSyntheticMicrophone(): SyntheticTrack {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const samples = new Int16Array(CHUNK_SAMPLES);
  const started = performance.now();
  let produced = 0;
  // Node timers are late by a few ms at a time; catching up from the clock keeps
  // the audio at real-time speed (a bounded burst, so a stall does not flood).
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 10);
    for (let burst = 0; produced < due && burst < 20; burst++) {
      fillToneChunk(samples, produced);
      source.onData({
        samples,
        sampleRate: SAMPLE_RATE,
        bitsPerSample: 16,
        channelCount: 1,
        numberOfFrames: CHUNK_SAMPLES,
      });
      produced++;
    }
    if (produced < due) produced = due;
  }, 10);
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
