import { DEFAULT_MAX_MESSAGE_BYTES } from '@vroom/protocol';
import { openFilesLimit } from './openFilesLimit.js';

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
  // --- Per connection, checked before any parse (ConnectionGuard) -----------
  /** Largest message before the session has joined: `join` is small. */
  preJoinMessageBytes: number;
  /**
   * Every frame of a connection (requests, responses, junk) takes a token
   * of a bucket of `frameBurst` refilled at `framesPerSecond`; an empty
   * bucket closes the connection (1008).
   */
  framesPerSecond: number;
  frameBurst: number;
  /**
   * The same for bytes (a bucket of `byteBurst` refilled at
   * `bytesPerSecond`): parsing is what a flood of large frames costs.
   */
  bytesPerSecond: number;
  byteBurst: number;
  /** Bytes waiting to be sent to a client that does not read, before it is cut (4004). */
  sendBufferBytes: number;
  /** A connection must join (or resume) within this many ms, or it is closed (4003). */
  joinTimeoutMs: number;
  // --- Server-wide: sized from the open-files limit by default --------------
  /** Open connections from one address (IPv6: one /64), joined or not. */
  connectionsPerAddress: number;
  /** Open connections in all: each is a file descriptor of this process. */
  maxConnections: number;
  /** Joined sessions (connected or kept for a resume) in all rooms. */
  peersPerServer: number;
  /** WebRTC transports per mediasoup worker: each holds a UDP and a TCP socket. */
  transportsPerWorker: number;
}

/** File descriptors kept for everything but connections and transports (logs, DNS, pipes). */
const RESERVED_FDS = 256;

/**
 * The server-wide defaults, from the open-files soft limit the process (and
 * its workers, which inherit it) runs with: a connection costs this process
 * one descriptor, a transport costs its worker two to three (UDP, TCP
 * listener, a TCP connection). 1024 (a common default) gives 768
 * connections and peers and 256 transports per worker.
 */
export function capacityDefaults(
  softLimit = openFilesLimit()?.soft ?? 1024,
): Pick<Limits, 'maxConnections' | 'peersPerServer' | 'transportsPerWorker'> {
  const usable = Math.max(64, Math.min(softLimit, 1_000_000) - RESERVED_FDS);
  return {
    maxConnections: usable,
    peersPerServer: usable,
    transportsPerWorker: Math.max(16, Math.floor(usable / 3)),
  };
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
  preJoinMessageBytes: 32 * 1024,
  framesPerSecond: 200,
  frameBurst: 1000,
  bytesPerSecond: 64 * 1024,
  byteBurst: 1024 * 1024,
  sendBufferBytes: 1024 * 1024,
  joinTimeoutMs: 10_000,
  connectionsPerAddress: 256,
  ...capacityDefaults(),
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
  // The client reads at most DEFAULT_MAX_MESSAGE_BYTES, whatever the server
  // accepts: a join answer is the peer list plus the router's capabilities
  // and two transports.
  if (limits.peerListBytes > DEFAULT_MAX_MESSAGE_BYTES - JOIN_ANSWER_HEADROOM) {
    throw new TypeError(
      `limits.peerListBytes must leave ${JOIN_ANSWER_HEADROOM} bytes of a join answer under the client's ${DEFAULT_MAX_MESSAGE_BYTES}-byte limit, got ${limits.peerListBytes}`,
    );
  }
  return limits;
}

/** Room in a join answer for all but the peer list (capabilities ~4 KB, transports ~2 KB each). */
const JOIN_ANSWER_HEADROOM = 16 * 1024;
