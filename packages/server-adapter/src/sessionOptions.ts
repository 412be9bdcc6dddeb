import { SERVER_TIMING } from './timing.js';

/**
 * How long a session outlives its signaling connection, and how the server
 * tells a live peer from a dead one. See the README ("Sessions") for why
 * each default is what it is.
 */
export interface SessionOptions {
  /**
   * How long a session with neither signaling nor media is kept for a
   * `resumeSession`, counted from the moment both are noticed dead; 0 turns
   * resume off (a dropped connection ends its session at once). Told to the
   * client in the `join` response. Default 60 s.
   */
  resumeWindowMs: number;
  /**
   * How long a page that closed with `CloseCode.PageHidden` (its `pagehide`:
   * a reload or a closed tab) keeps its seat for the reloaded page. Default 5 s.
   */
  pageReloadGraceMs: number;
  /** How often each joined peer's transports are asked for `bytesReceived`. Default 2 s. */
  mediaPollMs: number;
  /**
   * A peer whose transports received nothing (no RTP, RTCP, STUN consent
   * checks, SCTP) for this long has dead media. Default 6 s: with the 2 s
   * poll, a killed peer is noticed within 8 s of its last packet. Browsers
   * send STUN checks every few seconds even when they send no media, and a
   * check that comes late only starts the grace, which the next byte stops.
   */
  mediaTimeoutMs: number;
  /**
   * A joined peer's connection that carried no message for this long is
   * treated as lost (a cut link leaves the socket half-open). A backstop for
   * connections without a transport-level ping: the ws binding's pings,
   * answered by the browser's network stack, notice a cut link within 6 s,
   * while page timers (the client's 2 s ping) can be throttled or starved in
   * background tabs and on busy machines. Default 30 s.
   */
  signalingTimeoutMs: number;
}

/** From the timing table (`timing.ts`), where the relations between them are written down. */
export const DEFAULT_SESSION_OPTIONS: Readonly<SessionOptions> = Object.freeze({
  resumeWindowMs: SERVER_TIMING.resumeWindowMs,
  pageReloadGraceMs: SERVER_TIMING.pageReloadGraceMs,
  mediaPollMs: SERVER_TIMING.mediaPollMs,
  mediaTimeoutMs: SERVER_TIMING.mediaTimeoutMs,
  signalingTimeoutMs: SERVER_TIMING.signalingTimeoutMs,
});

/** Fills defaults in and refuses nonsense at startup (negative, fractional, zero polls). */
export function resolveSessionOptions(overrides: Partial<SessionOptions> = {}): SessionOptions {
  const options: SessionOptions = { ...DEFAULT_SESSION_OPTIONS };
  for (const key of Object.keys(DEFAULT_SESSION_OPTIONS) as (keyof SessionOptions)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    const minimum = key === 'resumeWindowMs' || key === 'pageReloadGraceMs' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new TypeError(
        `session.${key} must be an integer of at least ${minimum} (ms), got ${String(value)}`,
      );
    }
    options[key] = value;
  }
  return options;
}
