import type { ErrorCode as ProtocolErrorCode } from '@vroom/protocol';
import { ProtocolError } from '@vroom/protocol';

/**
 * Reason codes of `RoomError`. Apps switch on `error.code`, never on the
 * message text (which is for humans and may change).
 */
export const RoomErrorCode = {
  /** `join` failed (refused, bad server answer, no handler...): see `cause`. */
  JoinFailed: 'JOIN_FAILED',
  /** `join` could not even open the signaling channel: no server there, or it is down. */
  ServerUnreachable: 'SERVER_UNREACHABLE',
  /** The call needs a joined room: await `join()` first. */
  NotJoined: 'NOT_JOINED',
  /** `join()` called while joining or joined. */
  AlreadyJoined: 'ALREADY_JOINED',
  /** The signaling channel closed or could not open. */
  SignalingClosed: 'SIGNALING_CLOSED',
  /** The server stopped answering (heartbeat) or a request timed out. */
  SignalingTimeout: 'SIGNALING_TIMEOUT',
  /** The server refused or failed a request: see `protocolCode` and `cause`. */
  RequestFailed: 'REQUEST_FAILED',
  /** Capturing media failed (permission denied, no device...). */
  MediaFailed: 'MEDIA_FAILED',
  /** This environment cannot do it (no getUserMedia in Node...). */
  Unsupported: 'UNSUPPORTED',
  /** A WebRTC transport failed; media stopped flowing. */
  TransportFailed: 'TRANSPORT_FAILED',
  /** The room closed on the server. */
  RoomClosed: 'ROOM_CLOSED',
  /** A data channel closed before or while sending. */
  DataChannelClosed: 'DATA_CHANNEL_CLOSED',
  /** Receiving a track or data channel the server offered failed. */
  ConsumeFailed: 'CONSUME_FAILED',
  /**
   * The room lost the server and could neither resume nor rejoin within
   * `reconnect.maxDurationMs` (or the server refused for good: see `cause`).
   * Every pending call rejects with it; the app's tracks are left running.
   */
  ReconnectGaveUp: 'RECONNECT_GAVE_UP',
} as const;

export type RoomErrorCode = (typeof RoomErrorCode)[keyof typeof RoomErrorCode];

/**
 * The one error type of the room client (argument mistakes are plain
 * `TypeError`s). `protocolCode` carries the server's code when the server
 * answered with an error.
 */
export class RoomError extends Error {
  readonly code: RoomErrorCode;
  readonly protocolCode: ProtocolErrorCode | undefined;

  constructor(
    code: RoomErrorCode,
    message: string,
    options: { cause?: unknown; protocolCode?: ProtocolErrorCode } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RoomError';
    this.code = code;
    this.protocolCode =
      options.protocolCode ??
      (options.cause instanceof ProtocolError ? options.cause.code : undefined);
  }

  static joinFailed(roomId: string, cause: unknown): RoomError {
    return new RoomError(
      RoomErrorCode.JoinFailed,
      `could not join room "${roomId}": ${describe(cause)}; fix the cause and call join() again`,
      { cause },
    );
  }

  /** Said as a person would: `join()` is the first contact, so a closed door means "not running". */
  static serverUnreachable(url: string | undefined, cause: unknown): RoomError {
    const where = url === undefined ? 'the server' : `the server at ${url}`;
    return new RoomError(
      RoomErrorCode.ServerUnreachable,
      `cannot reach ${where}: is it running? (call join() again once it is)`,
      { cause },
    );
  }

  static notJoined(what: string): RoomError {
    return new RoomError(
      RoomErrorCode.NotJoined,
      `${what} needs a joined room: await room.join() first`,
    );
  }

  static alreadyJoined(state: string): RoomError {
    return new RoomError(
      RoomErrorCode.AlreadyJoined,
      `join() called while ${state}: call leave() first to join again`,
    );
  }

  static signalingClosed(why: string, cause?: unknown): RoomError {
    return new RoomError(
      RoomErrorCode.SignalingClosed,
      `signaling channel closed (${why}); call join() again to rejoin`,
      { cause },
    );
  }

  /** The channel did not open: nothing reached the server (`isChannelNotOpened`). */
  static channelNotOpened(cause: unknown): RoomError {
    const error = RoomError.signalingClosed('could not open the channel', cause);
    notOpened.add(error);
    return error;
  }

  static signalingTimeout(silentMs: number): RoomError {
    return new RoomError(
      RoomErrorCode.SignalingTimeout,
      `the server sent nothing for ${silentMs} ms (heartbeat); the connection is considered lost: call join() again`,
    );
  }

  static requestFailed(method: string, cause: unknown): RoomError {
    const timeout = cause instanceof ProtocolError && cause.code === 'TIMEOUT';
    const closed = cause instanceof ProtocolError && cause.code === 'CLOSED';
    const code = timeout
      ? RoomErrorCode.SignalingTimeout
      : closed
        ? RoomErrorCode.SignalingClosed
        : RoomErrorCode.RequestFailed;
    return new RoomError(code, `server request "${method}" failed: ${describe(cause)}`, { cause });
  }

  static mediaFailed(what: string, cause: unknown): RoomError {
    return new RoomError(
      RoomErrorCode.MediaFailed,
      `could not capture the ${what}: ${describe(cause)}; check the permission and the device, or pass { track }`,
      { cause },
    );
  }

  static unsupported(what: string): RoomError {
    return new RoomError(RoomErrorCode.Unsupported, what);
  }

  static transportFailed(direction: 'send' | 'recv'): RoomError {
    return new RoomError(
      RoomErrorCode.TransportFailed,
      `the ${direction} transport failed (ICE/DTLS): media stopped; the room restarts ICE (and rejoins if that does not help)`,
    );
  }

  static reconnectGaveUp(elapsedMs: number, attempts: number, cause: unknown): RoomError {
    return new RoomError(
      RoomErrorCode.ReconnectGaveUp,
      `gave up reconnecting after ${Math.round(elapsedMs)} ms and ${attempts} attempt(s) (last: ${describe(cause)}); call join() again when the server is back`,
      { cause },
    );
  }

  /** The recovery stopped because the app left (or the room closed for good). */
  static reconnectCancelled(): RoomError {
    return new RoomError(
      RoomErrorCode.NotJoined,
      'the room stopped reconnecting (left or closed); call join() to enter again',
    );
  }

  static roomClosed(reason: string): RoomError {
    return new RoomError(
      RoomErrorCode.RoomClosed,
      `the room was closed by the server (${reason}); call join() again to enter a new one`,
    );
  }

  static dataChannelClosed(label: string): RoomError {
    return new RoomError(
      RoomErrorCode.DataChannelClosed,
      `the data channel "${label}" closed; send again to open a new one`,
    );
  }

  static consumeFailed(what: string, cause: unknown): RoomError {
    return new RoomError(
      RoomErrorCode.ConsumeFailed,
      `could not receive ${what}: ${describe(cause)}`,
      { cause },
    );
  }
}

function describe(cause: unknown): string {
  if (cause instanceof ProtocolError) return `${cause.code}: ${cause.message}`;
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

const notOpened = new WeakSet<RoomError>();

/** True for the error of a channel that did not even open (see `RoomError.channelNotOpened`). */
export function isChannelNotOpened(error: unknown): boolean {
  return error instanceof RoomError && notOpened.has(error);
}
