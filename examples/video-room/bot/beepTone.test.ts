import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHUNK_SAMPLES, fillToneChunk } from './beepTone.js';

describe('the bot beep', () => {
  it('sounds for the first 300 ms of each second and is silent after', () => {
    const samples = new Int16Array(CHUNK_SAMPLES);
    fillToneChunk(samples, 0);
    assert.ok(Math.max(...samples) > 8000, 'a loud enough tone');
    fillToneChunk(samples, 29);
    assert.ok(
      samples.some((value) => value !== 0),
      'still sounding at 290 ms',
    );
    fillToneChunk(samples, 30);
    assert.ok(
      samples.every((value) => value === 0),
      'silent at 300 ms',
    );
    fillToneChunk(samples, 100);
    assert.ok(
      samples.some((value) => value !== 0),
      'sounding again at 1 s',
    );
  });

  it('is continuous across chunks (no click at 10 ms boundaries)', () => {
    const a = new Int16Array(CHUNK_SAMPLES);
    const b = new Int16Array(CHUNK_SAMPLES);
    fillToneChunk(a, 3);
    fillToneChunk(b, 4);
    const step = Math.abs(b[0]! - a[CHUNK_SAMPLES - 1]!);
    // 440 Hz at 48 kHz moves at most 2π·440/48000 of the amplitude per sample.
    assert.ok(step < 0.06 * 0x7fff * 0.25 + 1, `jump of ${step} between chunks`);
  });
});
