import { Sparkline } from './sparkline.js';

/** Counters read from one RTCStatsReport: cumulative, so two readings give rates. */
export type StatsReading = {
  kind: 'audio' | 'video';
  /** ms, the report's clock. */
  timestamp: number;
  bytes: number;
  /** Packets that arrived (inbound) or were sent (outbound). */
  packets: number;
  /** Packets lost on the way to the receiver (outbound: as the receiver reports it). */
  lost: number;
  width: number | undefined;
  height: number | undefined;
  fps: number | undefined;
};

/** The parts of the stats dictionaries read here (lib.dom types only some of them). */
type RtpStats = RTCStats & {
  kind?: string;
  bytesReceived?: number;
  bytesSent?: number;
  packetsReceived?: number;
  packetsSent?: number;
  packetsLost?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
};

/**
 * Sums a report of what we receive (`inbound-rtp`) or send (`outbound-rtp`:
 * one entry per simulcast layer; resolution and frame rate of the largest
 * layer, loss from the receiver's `remote-inbound-rtp` reports).
 */
export function readStats(
  report: RTCStatsReport,
  direction: 'inbound' | 'outbound',
): StatsReading | undefined {
  const entries = [...report.values()] as RtpStats[];
  const rtp = entries.filter((s) => s.type === `${direction}-rtp`);
  if (rtp.length === 0) return undefined;
  const kind = rtp.some((s) => s.kind === 'video') ? 'video' : 'audio';
  const streams = rtp.filter((s) => s.kind === kind);
  const largest = streams.reduce((a, b) => ((b.frameWidth ?? 0) > (a.frameWidth ?? 0) ? b : a));
  const sum = (pick: (s: RtpStats) => number | undefined, of: RtpStats[] = streams) =>
    of.reduce((total, s) => total + (pick(s) ?? 0), 0);
  const remote = entries.filter((s) => s.type === 'remote-inbound-rtp' && s.kind === kind);
  return {
    kind,
    timestamp: largest.timestamp,
    bytes: sum((s) => (direction === 'inbound' ? s.bytesReceived : s.bytesSent)),
    packets: sum((s) => (direction === 'inbound' ? s.packetsReceived : s.packetsSent)),
    lost: direction === 'inbound' ? sum((s) => s.packetsLost) : sum((s) => s.packetsLost, remote),
    width: largest.frameWidth,
    height: largest.frameHeight,
    fps: largest.framesPerSecond,
  };
}

export type StatsFigures = {
  bitsPerSecond: number;
  /** Lost / (arrived + lost) over the interval, 0..1. */
  loss: number;
};

/** Rates between two readings of the same stream; undefined when they cannot be compared. */
export function rates(previous: StatsReading, current: StatsReading): StatsFigures | undefined {
  const seconds = (current.timestamp - previous.timestamp) / 1000;
  const bytes = current.bytes - previous.bytes;
  // A counter going back means a new stream (track replaced, layer switch): start over.
  if (seconds <= 0 || bytes < 0 || current.kind !== previous.kind) return undefined;
  const lost = Math.max(0, current.lost - previous.lost);
  const packets = Math.max(0, current.packets - previous.packets);
  return {
    bitsPerSecond: (bytes * 8) / seconds,
    loss: packets + lost > 0 ? lost / (packets + lost) : 0,
  };
}

export function formatBitrate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(2)} Mb/s`;
  return `${Math.round(bitsPerSecond / 1e3)} kb/s`;
}

const STAT_NAMES = ['bitrate', 'resolution', 'fps', 'loss'] as const;
type StatName = (typeof STAT_NAMES)[number];

/**
 * The stats panel of one tile: four figures (`[data-stat=...]`) and a
 * sparkline of the bitrate. Fed one report at a time by the page's poller.
 */
export class StatsPanel {
  readonly element: HTMLElement;
  readonly #cells = new Map<StatName, HTMLElement>();
  readonly #chart = new Sparkline({ label: 'bitrate over the last minute' });
  #previous: StatsReading | undefined;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'stats';
    const figures = document.createElement('dl');
    for (const name of STAT_NAMES) {
      const term = document.createElement('dt');
      term.textContent = name;
      const value = document.createElement('dd');
      value.dataset.stat = name;
      value.textContent = '–';
      this.#cells.set(name, value);
      figures.append(term, value);
    }
    this.element.append(this.#chart.canvas, figures);
  }

  /**
   * A new report (or none: nothing is sent or received now). Size and frame
   * rate only while the picture is live: a paused stream reports its last size.
   */
  update(reading: StatsReading | undefined, pictureLive: boolean): void {
    const previous = this.#previous;
    this.#previous = reading;
    if (!reading) {
      this.#show({ bitrate: '–', resolution: '–', fps: '–', loss: '–' });
      this.#chart.push(0);
      this.element.dataset.kind = 'none';
      return;
    }
    this.element.dataset.kind = reading.kind;
    const figures = previous ? rates(previous, reading) : undefined;
    const video = reading.kind === 'video' && pictureLive;
    this.#show({
      bitrate: figures ? formatBitrate(figures.bitsPerSecond) : '…',
      resolution:
        video && reading.width && reading.height ? `${reading.width}×${reading.height}` : '–',
      fps: video && reading.fps !== undefined ? `${Math.round(reading.fps)} fps` : '–',
      loss: figures ? `${(figures.loss * 100).toFixed(1)} %` : '…',
    });
    if (figures) this.#chart.push(figures.bitsPerSecond);
  }

  #show(values: Record<StatName, string>): void {
    for (const name of STAT_NAMES) {
      const cell = this.#cells.get(name);
      if (cell && cell.textContent !== values[name]) cell.textContent = values[name];
    }
  }
}
