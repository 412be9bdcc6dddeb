/**
 * Error codes shared by both ends. Apps switch on `code`, never on message text.
 */
export const ErrorCode = {
  /** Not JSON, or JSON that is not one of the three envelopes. */
  BadMessage: 'BAD_MESSAGE',
  /** Larger than the receiver's message size limit. */
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  /** A request or notification method the receiver does not know. */
  UnknownMethod: 'UNKNOWN_METHOD',
  /** The method is known but its data does not match its schema. */
  InvalidData: 'INVALID_DATA',
  /** The peer speaks another protocol version. */
  VersionMismatch: 'VERSION_MISMATCH',
  /** The application's join hook refused the peer (bad token, full room...). */
  JoinRefused: 'JOIN_REFUSED',
  /** A request that needs a joined peer came before `join` or after `leave`. */
  NotJoined: 'NOT_JOINED',
  /** `join` sent twice on one session. */
  AlreadyJoined: 'ALREADY_JOINED',
  /** The session to resume is gone (grace period over, server restarted): join again. */
  SessionExpired: 'SESSION_EXPIRED',
  /** No such object, or not yours: both get the same answer on purpose. */
  NotFound: 'NOT_FOUND',
  /** A configured limit (transports, producers, peers per room...) is reached. */
  LimitExceeded: 'LIMIT_EXCEEDED',
  /** Too many requests per second from this peer. */
  RateLimited: 'RATE_LIMITED',
  /**
   * The server is at capacity (peers, transports, ports or file descriptors),
   * not broken: those already in stay; retry later or on another server.
   */
  ServerFull: 'SERVER_FULL',
  /**
   * The peer's permissions do not allow it (publish this kind or source,
   * subscribe, publish data); the server's application grants them.
   */
  Forbidden: 'FORBIDDEN',
  /** The request is valid but cannot be done now (e.g. cannot consume). */
  InvalidState: 'INVALID_STATE',
  /** No response arrived in time. */
  Timeout: 'TIMEOUT',
  /** The channel closed before the response arrived. */
  Closed: 'CLOSED',
  /** The receiver failed while handling a valid request. */
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const codes = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && codes.has(value);
}

/** What travels in a failed response: `{ id, ok: false, error }`. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

/**
 * The one error type of the protocol. Both ends throw and reject with it, and
 * rebuild it from an error response, so `err.code` is the same on both sides.
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }

  static fromPayload(payload: ErrorPayload): ProtocolError {
    return new ProtocolError(payload.code, payload.message);
  }

  static badMessage(why: string): ProtocolError {
    return new ProtocolError(ErrorCode.BadMessage, `malformed message: ${why}`);
  }

  static tooLarge(bytes: number, limit: number): ProtocolError {
    return new ProtocolError(
      ErrorCode.MessageTooLarge,
      `message of ${bytes} bytes exceeds the limit of ${limit} bytes`,
    );
  }

  static unknownMethod(method: string): ProtocolError {
    return new ProtocolError(ErrorCode.UnknownMethod, `unknown method "${method}"`);
  }

  static invalidData(method: string, why: string): ProtocolError {
    return new ProtocolError(ErrorCode.InvalidData, `invalid data for "${method}": ${why}`);
  }

  static notFound(what: string, id: string): ProtocolError {
    return new ProtocolError(ErrorCode.NotFound, `${what} "${id}" not found`);
  }

  static versionMismatch(theirs: number, ours: number): ProtocolError {
    return new ProtocolError(
      ErrorCode.VersionMismatch,
      `protocol version ${theirs} is not supported (this end speaks ${ours}); update the client`,
    );
  }

  static limit(what: string, max: number): ProtocolError {
    return new ProtocolError(ErrorCode.LimitExceeded, `${what} limit of ${max} reached`);
  }

  static serverFull(what: string): ProtocolError {
    return new ProtocolError(
      ErrorCode.ServerFull,
      `the server is full (${what}); retry later or on another server`,
    );
  }

  static forbidden(what: string): ProtocolError {
    return new ProtocolError(
      ErrorCode.Forbidden,
      `${what} is not permitted for this peer; the application must grant it`,
    );
  }

  static timeout(method: string, ms: number): ProtocolError {
    return new ProtocolError(ErrorCode.Timeout, `no response to "${method}" within ${ms} ms`);
  }

  static closed(why = 'the channel closed'): ProtocolError {
    return new ProtocolError(ErrorCode.Closed, why);
  }
}
