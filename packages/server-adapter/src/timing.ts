/**
 * Every timing of the server's side of recovery, in one table. Apps override
 * some of them (`session`, `serverRequestTimeoutMs`, the ws binding's
 * `pingIntervalMs`); these are the defaults. The README ("Sessions") says why
 * each value is what it is.
 *
 * Within the server:
 * - `mediaPollMs < mediaTimeoutMs`: a poll sees a live peer's bytes before
 *   its media counts as dead;
 * - `detachedPollMs <= mediaPollMs`: the close look at a detached peer is
 *   closer than the regular poll;
 * - `2 * wsPingIntervalMs < signalingTimeoutMs`: the ws binding's pings find
 *   a cut link (no pong by the next ping) before the silence backstop does.
 * - `pageReloadGraceMs < resumeWindowMs`: a page that said goodbye is held
 *   less than a link that was lost.
 * - `workerRespawnInitialMs <= workerRespawnMaxMs`: the respawn waits grow
 *   up to the cap.
 *
 * With the client's table (`packages/client/src/room/timing.ts`; the
 * packages never import each other, so `e2e/node/timing.test.ts` checks these
 * between the two defaults):
 * - client `heartbeat.intervalMs < signalingTimeoutMs`: a live client's
 *   pings keep its connection from the silence backstop;
 * - client `backoff.maxDelayMs + reconnect.attemptTimeoutMs <
 *   resumeWindowMs`: after the longest backoff wait (jitter included) a
 *   whole attempt fits in the window, so a client resumes, not rejoins;
 * - client `offlineAttemptEveryMs < resumeWindowMs`: a client that believes
 *   it is offline still tries within the window;
 * - client `reconnect.maxDurationMs > resumeWindowMs + mediaTimeoutMs +
 *   mediaPollMs`: the client outlasts the session it left behind, so after
 *   a long outage it rejoins instead of giving up;
 * - client `heartbeat.timeoutMs < mediaTimeoutMs + mediaPollMs`: the client
 *   knows its channel is dead before the server counts its media dead.
 */
export const SERVER_TIMING = Object.freeze({
  /**
   * `session.resumeWindowMs`: a session with neither signaling nor media is
   * kept this long for a `resumeSession` (0: no resume).
   */
  resumeWindowMs: 60_000,
  /**
   * `session.pageReloadGraceMs`: a page that closed its socket with
   * `CloseCode.PageHidden` (it may be reloading) keeps its seat this long
   * for the reloaded page's `join { resumeToken }`; a closed tab leaves then.
   * Less than `resumeWindowMs`; long enough for a reload on a busy machine.
   */
  pageReloadGraceMs: 5_000,
  /** `session.mediaPollMs`: each joined peer's `bytesReceived` is read this often. */
  mediaPollMs: 2_000,
  /** `session.mediaTimeoutMs`: no byte received for this long is dead media. */
  mediaTimeoutMs: 6_000,
  /** `session.signalingTimeoutMs`: a connection silent this long is lost (a backstop). */
  signalingTimeoutMs: 30_000,
  /**
   * A detached peer's media is read this often (`LivenessWatch`), at most
   * every `mediaPollMs`, for `mediaTimeoutMs + mediaPollMs`.
   */
  detachedPollMs: 500,
  /**
   * An ICE path is settled after this long without a change; key frames are
   * asked then (`keyFrames.ts`): restarts come in bursts within half a second.
   */
  pathSettleMs: 300,
  /**
   * A libwebrtc sender honours one key frame request per this long and drops
   * the others; a consumer's resume waits out the rest of it
   * (`keyFramePacing.ts`) rather than lose its request to mediasoup's 1 s retry.
   */
  senderKeyFrameIntervalMs: 300,
  /** `serverRequestTimeoutMs`: `newConsumer` waits this long for the client on a live connection. */
  serverRequestTimeoutMs: 15_000,
  /** The ws binding's `pingIntervalMs`: a socket without a pong by the next ping is cut. */
  wsPingIntervalMs: 3_000,
  /**
   * A dead worker whose replacement cannot be spawned (resource pressure) is
   * tried again after this long, doubling up to `workerRespawnMaxMs`.
   */
  workerRespawnInitialMs: 500,
  workerRespawnMaxMs: 30_000,
});
