import type { types } from 'mediasoup';

/** Packets reach a kind's port, yet none of them feed its producer. */
export interface IngestMismatch {
  kind: 'audio' | 'video';
  /** Bytes that arrived on the port since the ingest started. */
  bytesReceived: number;
  expected: { ssrc: number; payloadType: number; srtp: boolean };
  /** What to fix, for a log line. */
  message: string;
}

export interface WatchedKind {
  kind: 'audio' | 'video';
  transport: types.PlainTransport;
  producer: types.Producer;
  expected: IngestMismatch['expected'];
}

export interface IngestWatchOptions {
  kinds: WatchedKind[];
  /** No byte on any port for this long (from the start, or since the last): `onSilence`. */
  silenceTimeoutMs: number;
  /** Bytes arriving with no packet accepted for this long: `onMismatch` (once per kind). */
  mismatchAfterMs: number;
  intervalMs: number;
  onSilence(): void;
  onMismatch(mismatch: IngestMismatch): void;
}

/**
 * Polls the worker's counters: the transport counts every datagram that
 * arrives, the producer only packets of its SSRC and payload type that
 * decrypted. Nothing arriving at all is silence (the encoder stopped);
 * bytes with no accepted packet is an encoder sending the wrong SSRC,
 * payload type or SRTP key, which the worker would otherwise drop in silence.
 */
export class IngestWatch {
  readonly #options: IngestWatchOptions;
  readonly #timer: NodeJS.Timeout;
  #lastBytes = 0;
  #lastChange = Date.now();
  readonly #firstBytesAt = new Map<string, number>();
  readonly #reported = new Set<string>();
  #polling = false;

  constructor(options: IngestWatchOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.#poll(), options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      let total = 0;
      for (const watched of this.#options.kinds) total += await this.#check(watched);
      const now = Date.now();
      if (total !== this.#lastBytes) {
        this.#lastBytes = total;
        this.#lastChange = now;
      } else if (now - this.#lastChange >= this.#options.silenceTimeoutMs) {
        this.stop();
        this.#options.onSilence();
      }
    } catch {
      // A transport closed under the poll: the ingest is closing, its close stops us.
    } finally {
      this.#polling = false;
    }
  }

  /** Bytes received on the kind's transport; reports a mismatch when due. */
  async #check(watched: WatchedKind): Promise<number> {
    const { transport, producer, kind } = watched;
    if (transport.closed || producer.closed) return 0;
    const [transportStats] = await transport.getStats();
    const bytes = transportStats?.bytesReceived ?? 0;
    if (bytes === 0 || this.#reported.has(kind)) return bytes;
    const accepted = (await producer.getStats()).some((s) => s.byteCount > 0);
    if (accepted) return bytes;
    const since = this.#firstBytesAt.get(kind) ?? Date.now();
    this.#firstBytesAt.set(kind, since);
    if (Date.now() - since >= this.#options.mismatchAfterMs) {
      this.#reported.add(kind);
      const { ssrc, payloadType, srtp } = watched.expected;
      this.#options.onMismatch({
        kind,
        bytesReceived: bytes,
        expected: watched.expected,
        message:
          `${kind} packets reach port ${transport.tuple.localPort} but none match: ` +
          `send SSRC ${ssrc} with payload type ${payloadType}` +
          (srtp ? ', encrypted with the ingest key' : ''),
      });
    }
    return bytes;
  }
}
