import { CloseCode, type Connection } from './Connection.js';
import type { Limits } from './limits.js';
import { createLogger } from './logger.js';
import { RateLimiter } from './RateLimiter.js';

const log = createLogger('ConnectionGuard');

type Data = string | ArrayBuffer | Uint8Array;

export interface ConnectionGuardOptions {
  limits: Pick<
    Limits,
    | 'preJoinMessageBytes'
    | 'framesPerSecond'
    | 'frameBurst'
    | 'bytesPerSecond'
    | 'byteBurst'
    | 'sendBufferBytes'
    | 'joinTimeoutMs'
  >;
  /**
   * The connection carries a joined session (its `join` or `resumeSession`
   * went through). Before that it is a stranger's: small frames only, and
   * it must get there within `joinTimeoutMs`.
   */
  admitted: () => boolean;
  /** Once, when the connection has closed for whatever reason. */
  onClosed?: () => void;
}

/**
 * Wraps a connection with the checks that must come before any parse, so
 * a hostile client costs the server next to nothing:
 * - every frame (request, response, notification or junk) takes a token
 *   from the connection's frame bucket, and its size from its byte bucket;
 *   either empty is a flood (1008): a client cannot make the server parse
 *   more than `bytesPerSecond` for long, whatever its frames hold;
 * - before the session has joined, a frame over `preJoinMessageBytes` is
 *   cut (1009): `join` is small, so a stranger cannot make the server parse
 *   128 KB frames;
 * - no join within `joinTimeoutMs`: closed (4003), so idle sockets do not
 *   hold a slot forever;
 * - after each send, more than `sendBufferBytes` waiting to go out (the
 *   client does not read) is cut (4004) before it grows the heap.
 * Frames are counted once, however many listeners the session registers
 * (a resume attaches the same connection a second time).
 */
export function guardConnection(inner: Connection, options: ConnectionGuardOptions): Connection {
  const { limits } = options;
  const frames = new RateLimiter({ perSecond: limits.framesPerSecond, burst: limits.frameBurst });
  const bytes = new RateLimiter({ perSecond: limits.bytesPerSecond, burst: limits.byteBurst });
  const listeners: ((data: Data) => void)[] = [];
  let cut = false;

  const cutOff = (code: number, reason: string) => {
    if (cut) return;
    cut = true;
    clearTimeout(joinTimer);
    log.warn('closing a connection (%d): %s', code, reason);
    try {
      inner.close(code, reason);
    } catch {
      // Gone already.
    }
  };

  const joinTimer = setTimeout(() => {
    if (!options.admitted()) {
      cutOff(CloseCode.JoinTimeout, `no join within ${limits.joinTimeoutMs} ms`);
    }
  }, limits.joinTimeoutMs);
  joinTimer.unref();

  inner.onMessage((data) => {
    if (cut) return;
    if (!options.admitted() && exceeds(data, limits.preJoinMessageBytes)) {
      cutOff(
        CloseCode.MessageTooBig,
        `message over ${limits.preJoinMessageBytes} bytes before join`,
      );
      return;
    }
    if (!frames.take()) {
      cutOff(CloseCode.PolicyViolation, 'flood: too many messages');
      return;
    }
    // UTF-16 units stand in for bytes (never more): no encoding pass per frame.
    if (!bytes.take(typeof data === 'string' ? data.length : data.byteLength)) {
      cutOff(CloseCode.PolicyViolation, 'flood: too many bytes');
      return;
    }
    for (const listener of listeners) listener(data);
  });
  inner.onClose(() => {
    cut = true;
    clearTimeout(joinTimer);
    options.onClosed?.();
  });

  const guarded: Connection = {
    send(text) {
      inner.send(text);
      const buffered = inner.bufferedAmount?.() ?? 0;
      if (buffered > limits.sendBufferBytes) {
        cutOff(CloseCode.SlowReader, `${buffered} bytes wait to be sent: the client does not read`);
      }
    },
    close(code, reason) {
      clearTimeout(joinTimer);
      inner.close(code, reason);
    },
    onMessage: (listener) => listeners.push(listener),
    onClose: (listener) => inner.onClose(listener),
  };
  const { bufferedAmount } = inner;
  if (bufferedAmount) guarded.bufferedAmount = () => bufferedAmount.call(inner);
  return guarded;
}

/** Whether the frame is over `max` bytes, measuring a string only when its length cannot tell. */
function exceeds(data: Data, max: number): boolean {
  if (typeof data !== 'string') return data.byteLength > max;
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit.
  if (data.length > max) return true;
  if (data.length * 3 <= max) return false;
  return Buffer.byteLength(data) > max;
}
