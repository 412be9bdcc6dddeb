/**
 * A tiny line chart of the last N samples on a canvas: no axes, no library.
 * The vertical scale follows the largest sample in view, so a bitrate of
 * 150 kb/s and one of 1.5 Mb/s both fill the box.
 */
export class Sparkline {
  readonly canvas: HTMLCanvasElement;
  readonly #capacity: number;
  readonly #samples: number[] = [];

  constructor(options: { capacity?: number; width?: number; height?: number; label: string }) {
    this.#capacity = options.capacity ?? 60;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'sparkline';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', options.label);
    // The backing store follows the device pixel ratio so the line stays crisp.
    const ratio = Math.min(globalThis.devicePixelRatio || 1, 3);
    const width = options.width ?? 96;
    const height = options.height ?? 24;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
  }

  get samples(): readonly number[] {
    return this.#samples;
  }

  push(value: number): void {
    this.#samples.push(Number.isFinite(value) && value > 0 ? value : 0);
    if (this.#samples.length > this.#capacity) this.#samples.shift();
    this.#draw();
  }

  clear(): void {
    this.#samples.length = 0;
    this.#draw();
  }

  #draw(): void {
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const { width, height } = this.canvas;
    context.clearRect(0, 0, width, height);
    if (this.#samples.length < 2) return;
    const max = Math.max(...this.#samples) || 1;
    const step = width / (this.#capacity - 1);
    // Right-aligned: the newest sample is always at the right edge.
    const offset = (this.#capacity - this.#samples.length) * step;
    const pad = Math.max(1, height * 0.08);
    const y = (value: number) => height - pad - (value / max) * (height - 2 * pad);

    context.beginPath();
    this.#samples.forEach((value, i) => {
      const x = offset + i * step;
      if (i === 0) context.moveTo(x, y(value));
      else context.lineTo(x, y(value));
    });
    const stroke = getComputedStyle(this.canvas).color || '#7dd3fc';
    context.strokeStyle = stroke;
    context.lineWidth = Math.max(1, height / 16);
    context.lineJoin = 'round';
    context.stroke();

    // The same path closed along the bottom, filled faintly.
    context.lineTo(width, height);
    context.lineTo(offset, height);
    context.closePath();
    context.globalAlpha = 0.2;
    context.fillStyle = stroke;
    context.fill();
    context.globalAlpha = 1;
  }
}
