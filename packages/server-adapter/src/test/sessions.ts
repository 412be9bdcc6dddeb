import type { SessionOptions } from '../sessionOptions.js';

/**
 * Session timings for tests: a dropped peer with no media is removed within
 * a few hundred ms instead of a minute, through the very same path (detach,
 * liveness sweep, expiry). Signaling timeout stays long: test clients do not
 * ping.
 */
export const FAST_SESSIONS: SessionOptions = {
  resumeWindowMs: 100,
  pageReloadGraceMs: 100,
  mediaPollMs: 20,
  mediaTimeoutMs: 50,
  signalingTimeoutMs: 60_000,
};
