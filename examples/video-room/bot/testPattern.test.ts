import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BARS, barsHeight, createI420Frame, paintTestPattern } from './testPattern.js';

const luma = (frame: { width: number; data: Uint8Array }, x: number, y: number) =>
  frame.data[y * frame.width + x];

describe('the bot test pattern', () => {
  it('paints the seven colour bars across the top, in I420', () => {
    const frame = createI420Frame(640, 360);
    paintTestPattern(frame, 0);
    assert.equal(frame.data.length, 640 * 360 * 1.5);
    const barWidth = 640 / BARS.length;
    BARS.forEach(([y, u, v], bar) => {
      const x = Math.floor(bar * barWidth + barWidth / 2);
      assert.equal(luma(frame, x, 10), y, `luma of bar ${bar}`);
      const chroma = 5 * 320 + Math.floor(x / 2);
      assert.equal(frame.data[640 * 360 + chroma], u, `U of bar ${bar}`);
      assert.equal(frame.data[640 * 360 * 1.25 + chroma], v, `V of bar ${bar}`);
    });
  });

  it('moves: two consecutive pictures differ in the bars, the counter and the block', () => {
    const first = createI420Frame(320, 180);
    const second = createI420Frame(320, 180);
    paintTestPattern(first, 41);
    paintTestPattern(second, 42);
    const top = barsHeight(first);
    const differs = (from: number, to: number) =>
      first.data.subarray(from, to).some((value, i) => value !== second.data[from + i]);
    assert.ok(differs(0, top * 320), 'the bars scrolled');
    assert.ok(differs(top * 320, Math.floor((top + (180 - top) / 2) * 320)), 'the number changed');
    assert.ok(differs(Math.floor((180 - 20) * 320), 180 * 320), 'the block moved');
  });

  it('draws the frame number in white on the black band, wider for more digits', () => {
    const lit = (index: number) => {
      const frame = createI420Frame(320, 180);
      paintTestPattern(frame, index);
      const band = frame.data.subarray(barsHeight(frame) * 320, 180 * 320);
      return band.filter((value) => value === 235).length;
    };
    assert.ok(lit(8888) > lit(8), 'four eights light more pixels than one');
  });

  it('refuses sizes I420 cannot hold, saying why', () => {
    assert.throws(() => createI420Frame(641, 360), /even width and height/);
    assert.throws(() => createI420Frame(32, 32), /at least 64x48/);
  });
});
