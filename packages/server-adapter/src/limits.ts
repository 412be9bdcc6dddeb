import { DEFAULT_MAX_MESSAGE_BYTES } from '@vroom/protocol';

/** What one peer (and one room) may use. Every field has a default; see README. */
export interface Limits {
  /** Largest signaling message accepted, in bytes. */
  maxMessageBytes: number;
  transportsPerPeer: number;
  producersPerPeer: number;
  consumersPerPeer: number;
  dataProducersPerPeer: number;
  dataConsumersPerPeer: number;
  peersPerRoom: number;
  /**
   * JSON bytes of the peer list a `join` (or `resumeSession`) answer carries:
   * the sum of the seated peers' infos, appData included. It must leave room
   * under the client's 128 KB message limit for the router's capabilities
   * and two transports (about 12 KB with the default codecs).
   */
  peerListBytes: number;
  /** Token bucket refill rate: sustained requests per second per peer. */
  requestsPerSecond: number;
  /** Token bucket size: how many requests may arrive at once. */
  requestBurst: number;
  /**
   * Messages refused in a row for rate limiting before the connection is
   * closed: a client this far past the limit is broken or hostile.
   */
  floodDisconnectAfter: number;
  /**
   * What a reconnect storm repeats (`join`, `resumeSession`, `restartIce`),
   * per peer session: a bucket of `reconnectBurst` refilled at
   * `reconnectsPerMinute`.
   */
  reconnectsPerMinute: number;
  reconnectBurst: number;
  /**
   * `join` and `resumeSession` per remote address, whatever the connection:
   * a storm of fresh connections would get a fresh per-peer budget each.
   */
  joinsPerAddressPerMinute: number;
  joinsPerAddressBurst: number;
  /** Numbered notifications kept per session for replay on resume. */
  replayLogSize: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  transportsPerPeer: 4,
  producersPerPeer: 16,
  consumersPerPeer: 500,
  dataProducersPerPeer: 16,
  dataConsumersPerPeer: 500,
  peersPerRoom: 50,
  peerListBytes: 96 * 1024,
  requestsPerSecond: 50,
  requestBurst: 100,
  floodDisconnectAfter: 1000,
  reconnectsPerMinute: 30,
  reconnectBurst: 10,
  joinsPerAddressPerMinute: 600,
  joinsPerAddressBurst: 100,
  replayLogSize: 512,
});

/** Fills defaults in and refuses nonsense (zero, negative, fractional) at startup. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limits.${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return limits;
}
