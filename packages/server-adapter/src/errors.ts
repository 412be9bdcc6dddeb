import { ErrorCode, ProtocolError } from '@vroom/protocol';

/**
 * Turns whatever a handler threw into the protocol's error, so a client never
 * sees a raw mediasoup exception and can switch on `code`.
 */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (!(error instanceof Error)) return new ProtocolError(ErrorCode.Internal, String(error));
  // Some worker refusals carry no text (" [method:router.createWebRtcTransport]"):
  // the client must still learn something.
  const why = /^\s*(\[method:[^\]]*\])?\s*$/.test(error.message)
    ? `it gave no reason ${error.message.trim()}`.trim()
    : error.message;
  // mediasoup throws TypeError for parameters it rejects (bad RTP parameters,
  // duplicated SSRC...), UnsupportedError / InvalidStateError when the
  // request cannot be done in the current state.
  // The worker ran out of ports or file descriptors: the server is full, not
  // broken; those already in keep going (see limits.transportsPerWorker).
  if (/no more available ports|too many open files|EMFILE|ENFILE/i.test(why)) {
    return ProtocolError.serverFull('the media server has no port or file descriptor left');
  }
  if (error.name === 'TypeError') {
    return new ProtocolError(ErrorCode.InvalidData, `the media server rejected the data: ${why}`);
  }
  if (error.name === 'UnsupportedError' || error.name === 'InvalidStateError') {
    return new ProtocolError(ErrorCode.InvalidState, `the media server cannot do this now: ${why}`);
  }
  return new ProtocolError(ErrorCode.Internal, `the media server failed: ${why}`);
}

export function notJoined(): ProtocolError {
  return new ProtocolError(ErrorCode.NotJoined, 'join a room first (or join again after leaving)');
}

export function alreadyJoined(): ProtocolError {
  return new ProtocolError(
    ErrorCode.AlreadyJoined,
    'this session has joined a room already; leave first',
  );
}

export function joinRefused(why = 'the application refused the join'): ProtocolError {
  return new ProtocolError(ErrorCode.JoinRefused, why);
}

export function rateLimited(): ProtocolError {
  return new ProtocolError(ErrorCode.RateLimited, 'too many requests; slow down and retry');
}

/** The peer left or disconnected while the request was running. */
export function goneDuringRequest(): ProtocolError {
  return ProtocolError.closed('the session ended while the request was running');
}

/**
 * One answer for every resume that cannot be honoured (unknown, wrong,
 * revoked or expired token, or a client too far behind): telling them apart
 * would help a token guesser.
 */
export function sessionExpired(): ProtocolError {
  return new ProtocolError(
    ErrorCode.SessionExpired,
    'the session cannot be resumed (expired or unknown): join the room again',
  );
}
