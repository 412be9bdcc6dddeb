/**
 * Every timing of the room client's recovery, in one table. Options override
 * some of them (`heartbeat`, `reconnect`, `iceTimeoutMs`, `requestTimeoutMs`);
 * these are the defaults. The README ("Heartbeat", "Recovery") says why each
 * value is what it is.
 *
 * Within the client (`timing.test.ts` checks them):
 * - `2 * heartbeat.intervalMs < heartbeat.timeoutMs`: two pings go out in
 *   the silence that declares the channel dead;
 * - `probeTimeoutMs < heartbeat.timeoutMs`: a probe (network change) is the
 *   faster verdict;
 * - `backoff.initialDelayMs <= backoff.maxDelayMs` and `backoff.jitterMs <=
 *   backoff.maxDelayMs`: the jitter stays inside the cap;
 * - `staleAttemptMs < reconnect.attemptTimeoutMs` and `reachabilityTimeoutMs
 *   < reconnect.attemptTimeoutMs`: an attempt is superseded or checked well
 *   before it is abandoned;
 * - `offlineAttemptEveryMs < reconnect.maxDurationMs` and `iceTimeoutMs <
 *   reconnect.maxDurationMs`: an offline device still tries, and an ICE
 *   watchdog fires, before the room gives up;
 * - `mediaComebackPollMs < backoff.maxDelayMs`: media coming back can cut a
 *   backoff wait short.
 *
 * With the server's table (`packages/server-adapter/src/timing.ts`, where
 * those relations are written down; the packages never import each other,
 * so `e2e/node/timing.test.ts` checks them between the two defaults): the
 * heartbeat beats the server's signaling timeout, a whole attempt after
 * the longest backoff step (and the offline gate) fits in the server's
 * resume window, and the client outlasts that window before giving up.
 */
export const CLIENT_TIMING = Object.freeze({
  /** `heartbeat`: a ping every `intervalMs`; `timeoutMs` of silence is a dead channel. */
  heartbeat: Object.freeze({ intervalMs: 2000, timeoutMs: 5000 } as const),
  /** A probe (network change, lost ICE path) that hears nothing for this long is a dead channel. */
  probeTimeoutMs: 1500,
  /** `requestTimeoutMs`: each request to the server. */
  requestTimeoutMs: 15_000,
  /** `leave` is a courtesy: the server cleans up on disconnect anyway, so do not wait long. */
  leaveTimeoutMs: 2000,
  /** `reconnect`: the room gives up after `maxDurationMs`, an attempt after `attemptTimeoutMs`. */
  reconnect: Object.freeze({ maxDurationMs: 120_000, attemptTimeoutMs: 10_000 } as const),
  /** `reconnect`: waits between attempts, doubling from `initialDelayMs` up to `maxDelayMs`. */
  backoff: Object.freeze({ initialDelayMs: 250, maxDelayMs: 3000, jitterMs: 500 } as const),
  /** When the network comes back, an attempt running this long is abandoned for a fresh one. */
  staleAttemptMs: 1000,
  /** While `navigator.onLine` is false, at most one attempt this often (not none: it can be wrong). */
  offlineAttemptEveryMs: 10_000,
  /** The plain HTTP check between failed attempts (`ServerReachability`) waits this long. */
  reachabilityTimeoutMs: 2000,
  /** `iceTimeoutMs`: a transport not `connected` this long after connect or a restart has failed. */
  iceTimeoutMs: 10_000,
  /** A restart the server refused (RATE_LIMITED...) is asked again after this long. */
  iceRetryMs: 1000,
  /** On a network event a `connected` transport is watched this long for bytes before a restart. */
  pathCheckMs: 400,
  /** A `disconnected` this soon after a path check saw bytes gets another check, not a restart. */
  aliveFreshMs: 1000,
  /** While reconnecting, received bytes are read this often (media back: retry at once). */
  mediaComebackPollMs: 250,
  /** Data channels wait at most this long behind camera / microphone being enabled (a prompt may stay open). */
  dataBehindMediaMs: 5000,
  /** A consumer the server pushes while the device still loads is held this long, then refused. */
  pushHoldMs: 10_000,
});
