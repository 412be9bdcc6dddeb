// The bot's sound, as 10 ms chunks of 16-bit mono PCM (what @roamhq/wrtc's
// RTCAudioSource takes): a 440 Hz beep once a second.

export const SAMPLE_RATE = 48_000;
/** wrtc's audio source takes exactly 10 ms per call. */
export const CHUNK_SAMPLES = SAMPLE_RATE / 100;
export const TONE_HZ = 440;
const AMPLITUDE = 0.25 * 0x7fff;
/** A beep of 300 ms each second: audible and clearly synthetic, not a constant whine. */
export const BEEP_MS = 300;

/** Fills `samples` with the tone (or silence) for the 10 ms chunk number `chunk`. */
export function fillToneChunk(samples: Int16Array, chunk: number): void {
  const msInSecond = (chunk * 10) % 1000;
  if (msInSecond >= BEEP_MS) {
    samples.fill(0);
    return;
  }
  const first = chunk * CHUNK_SAMPLES;
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(
      AMPLITUDE * Math.sin((2 * Math.PI * TONE_HZ * (first + i)) / SAMPLE_RATE),
    );
  }
}
