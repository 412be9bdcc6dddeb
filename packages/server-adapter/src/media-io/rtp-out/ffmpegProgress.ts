/** What FFmpeg's `-progress` output says so far. */
export interface RecordingProgress {
  /** Bytes written to the file. */
  bytes: number;
  /** Media time written, in seconds. */
  seconds: number;
}

const MAX_LINE = 256;

/**
 * Reads FFmpeg's `-progress` stream (blocks of `key=value` lines, each ended
 * by `progress=continue` or `progress=end`) and calls `onProgress` per block.
 * Lines are bounded: a line longer than 256 bytes is dropped.
 */
export class FfmpegProgressParser {
  readonly #onProgress: (progress: RecordingProgress) => void;
  #pending = '';
  #block: RecordingProgress = { bytes: 0, seconds: 0 };

  constructor(onProgress: (progress: RecordingProgress) => void) {
    this.#onProgress = onProgress;
  }

  push(chunk: string): void {
    const lines = (this.#pending + chunk).split('\n');
    this.#pending = lines.pop() ?? '';
    if (this.#pending.length > MAX_LINE) this.#pending = '';
    for (const line of lines) if (line.length <= MAX_LINE) this.#line(line.trim());
  }

  #line(line: string): void {
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'total_size') this.#block.bytes = finite(value, this.#block.bytes);
    // out_time_us is "N/A" until the first packet is written.
    else if (key === 'out_time_us') this.#block.seconds = finite(value, 0) / 1e6;
    else if (key === 'progress') this.#onProgress({ ...this.#block });
  }
}

function finite(text: string, fallback: number): number {
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
