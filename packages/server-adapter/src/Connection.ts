/**
 * One signaling channel, whatever carries it (WebSocket, in-memory pair in
 * tests, a future HTTP/3 stream). The adapter never sees the transport below.
 */
export interface Connection {
  /** Puts one text message on the wire. May throw when the wire is gone. */
  send(text: string): void;
  /** Closes the channel; `onClose` listeners fire once it is closed. */
  close(code?: number, reason?: string): void;
  onMessage(listener: (data: string | ArrayBuffer | Uint8Array) => void): void;
  /**
   * `code` is the close code the client sent, when the transport has one (a
   * WebSocket close frame): 1000 / 1001 mean the client left on purpose (a
   * page closed), `CloseCode.PageHidden` a page that may come back (reload),
   * anything else or none a lost link (see `closeMeaning`).
   */
  onClose(listener: (code?: number) => void): void;
  /**
   * Bytes written with `send` and not yet taken by the network (a WebSocket's
   * `bufferedAmount`). A client that stops reading makes this grow; the
   * server cuts the connection past `limits.sendBufferBytes`. Without it the
   * server cannot see a slow reader: implement it if the transport can.
   */
  bufferedAmount?(): number;
}

/** What the app's `authorize` hook learns about the connection. */
export interface ConnectionInfo {
  remoteAddress?: string;
  /** Headers or anything else the binding knows (e.g. the HTTP upgrade request). */
  headers?: Record<string, string | string[] | undefined>;
}

/** WebSocket close codes the adapter uses. */
export const CloseCode = {
  /** The peer flooded far past its rate limit. */
  PolicyViolation: 1008,
  /** The server is shutting down. */
  GoingAway: 1001,
  /** The session was resumed on a newer connection; this one is stale. */
  SessionResumed: 4001,
  /** No message for `session.signalingTimeoutMs`: the link is presumed cut. */
  SignalingTimeout: 4002,
  /** A message over `limits.preJoinMessageBytes` before `join` (or over the socket's limit). */
  MessageTooBig: 1009,
  /** Every connection slot of the server is taken (`limits.maxConnections`): retry later. */
  TryAgainLater: 1013,
  /** No `join` or `resumeSession` within `limits.joinTimeoutMs`. */
  JoinTimeout: 4003,
  /**
   * Sent BY the client when its page goes away (`pagehide`) with its session
   * kept for a reload: the seat is held `pageReloadGraceMs`, not the whole
   * resume window, and nobody is told it is reconnecting.
   */
  PageHidden: 4100,
  /** The client read too slowly: over `limits.sendBufferBytes` waited to be sent. */
  SlowReader: 4004,
  /** `limits.connectionsPerAddress` connections from this address (IPv6: this /64) already. */
  TooManyConnections: 4005,
  /** A moderator removed the peer (`removedFromRoom` said why); do not reconnect. */
  Removed: 4006,
} as const;
