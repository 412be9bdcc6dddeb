// The bot's picture: scrolling colour bars over a black band that shows the
// frame number and a bouncing white block, painted straight into I420 (the
// format @roamhq/wrtc's RTCVideoSource takes). Something visibly alive, so a
// human watching the room sees at once that frames flow and are not frozen,
// and a test can tell two frames apart.

/** One I420 picture: the Y plane, then U and V at half width and height. */
export interface I420Frame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The seven 75% bars in BT.601 limited range: [Y, U, V]. */
export const BARS: readonly (readonly [number, number, number])[] = [
  [180, 128, 128], // white
  [162, 44, 142], // yellow
  [131, 156, 44], // cyan
  [112, 72, 58], // green
  [84, 184, 198], // magenta
  [65, 100, 212], // red
  [35, 212, 114], // blue
];

const BLACK_Y = 16;
const WHITE_Y = 235;
const NEUTRAL_CHROMA = 128;
/** Pixels the bars move per frame. */
const SCROLL_PER_FRAME = 4;

// 3x5 digits, one string per row, '#' lit.
const DIGITS: readonly string[][] = [
  ['###', '#.#', '#.#', '#.#', '###'],
  ['.#.', '##.', '.#.', '.#.', '###'],
  ['###', '..#', '###', '#..', '###'],
  ['###', '..#', '.##', '..#', '###'],
  ['#.#', '#.#', '###', '..#', '..#'],
  ['###', '#..', '###', '..#', '###'],
  ['###', '#..', '###', '#.#', '###'],
  ['###', '..#', '.#.', '.#.', '.#.'],
  ['###', '#.#', '###', '#.#', '###'],
  ['###', '#.#', '###', '..#', '###'],
];

/** A blank frame of the given size (both even: I420 halves them). */
export function createI420Frame(width: number, height: number): I420Frame {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 48) {
    throw new RangeError(`frame size ${width}x${height}: use whole numbers of at least 64x48`);
  }
  if (width % 2 !== 0 || height % 2 !== 0) {
    throw new RangeError(`frame size ${width}x${height}: I420 needs an even width and height`);
  }
  return { width, height, data: new Uint8Array(width * height * 1.5) };
}

/** Where the planes start and how wide the chroma rows are. */
function planes(frame: I420Frame): { uOffset: number; vOffset: number; chromaWidth: number } {
  const lumaSize = frame.width * frame.height;
  return { uOffset: lumaSize, vOffset: lumaSize + lumaSize / 4, chromaWidth: frame.width / 2 };
}

/** Height of the bars; the band below holds the counter. Even, for chroma rows. */
export function barsHeight(frame: I420Frame): number {
  return Math.floor((frame.height * 2) / 3 / 2) * 2;
}

/** Paints picture number `index` into `frame` (reusing its buffer). */
export function paintTestPattern(frame: I420Frame, index: number): void {
  paintBars(frame, (index * SCROLL_PER_FRAME) % frame.width);
  paintBand(frame);
  paintBouncingBlock(frame, index);
  paintNumber(frame, index);
}

function paintBars(frame: I420Frame, shift: number): void {
  const { width } = frame;
  const { uOffset, vOffset, chromaWidth } = planes(frame);
  const rows = barsHeight(frame);
  const barOf = (x: number) =>
    BARS[Math.floor((((x + shift) % width) * BARS.length) / width)] ?? BARS[0]!;
  // One row of each plane, then copied down: a fraction of the per-pixel work.
  const yRow = new Uint8Array(width);
  for (let x = 0; x < width; x++) yRow[x] = barOf(x)[0];
  const uRow = new Uint8Array(chromaWidth);
  const vRow = new Uint8Array(chromaWidth);
  for (let x = 0; x < chromaWidth; x++) {
    const [, u, v] = barOf(x * 2);
    uRow[x] = u;
    vRow[x] = v;
  }
  for (let y = 0; y < rows; y++) frame.data.set(yRow, y * width);
  for (let y = 0; y < rows / 2; y++) {
    frame.data.set(uRow, uOffset + y * chromaWidth);
    frame.data.set(vRow, vOffset + y * chromaWidth);
  }
}

function paintBand(frame: I420Frame): void {
  const { width, height } = frame;
  const { uOffset, vOffset, chromaWidth } = planes(frame);
  const top = barsHeight(frame);
  frame.data.fill(BLACK_Y, top * width, height * width);
  frame.data.fill(NEUTRAL_CHROMA, uOffset + (top / 2) * chromaWidth, vOffset);
  frame.data.fill(NEUTRAL_CHROMA, vOffset + (top / 2) * chromaWidth);
}

function fillLuma(frame: I420Frame, x0: number, y0: number, w: number, h: number): void {
  const x1 = Math.min(frame.width, x0 + w);
  const y1 = Math.min(frame.height, y0 + h);
  for (let y = Math.max(0, y0); y < y1; y++) {
    frame.data.fill(WHITE_Y, y * frame.width + Math.max(0, x0), y * frame.width + x1);
  }
}

/** A block that crosses the band and back, one pixel step per frame. */
function paintBouncingBlock(frame: I420Frame, index: number): void {
  const bandTop = barsHeight(frame);
  const size = Math.max(4, Math.floor((frame.height - bandTop) / 6));
  const travel = frame.width - size;
  const step = (index * 6) % (travel * 2);
  const x = step <= travel ? step : travel * 2 - step;
  fillLuma(frame, x, frame.height - size - 2, size, size);
}

/** The frame number, large, at the band's left edge. */
function paintNumber(frame: I420Frame, index: number): void {
  const bandTop = barsHeight(frame);
  const scale = Math.max(1, Math.floor((frame.height - bandTop) / 12));
  const text = String(index);
  let left = scale * 2;
  for (const char of text) {
    const glyph = DIGITS[Number(char)] ?? DIGITS[0]!;
    glyph.forEach((row, gy) => {
      for (let gx = 0; gx < row.length; gx++) {
        if (row[gx] === '#') {
          fillLuma(frame, left + gx * scale, bandTop + scale * (gy + 1), scale, scale);
        }
      }
    });
    left += scale * 4;
  }
}
