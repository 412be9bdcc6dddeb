import type { PeerInfo } from '@vroom/protocol';
import { Logger } from '../Logger.js';
import type { Clock } from './Clock.js';
import type { CurrentJoin } from './CurrentJoin.js';
import { CHAT_LABEL, type DataMessaging } from './DataMessaging.js';
import { isChannelNotOpened, RoomError } from './errors.js';
import type { RoomClientEvents } from './events.js';
import type { Joined } from './joinRoom.js';
import type { LocalMedia } from './LocalMedia.js';
import { watchMediaComeback } from './mediaComeback.js';
import type { ResolvedRecoveryOptions } from './options.js';
import { Reconnector, type RecoveryMode } from './Reconnector.js';
import type { RemotePeers } from './RemotePeers.js';
import type { ServerReachability } from './ServerReachability.js';
import type { SignalingSession } from './SignalingSession.js';

// The room's namespace, as before the flow had its own file: apps filter on it.
const logger = new Logger('room:RoomClient');

/** What recovery needs of the room around it. */
export interface RecoveryHost {
  readonly clock: Clock;
  /** `false`: no recovery, `start` does nothing. */
  readonly reconnect: ResolvedRecoveryOptions['reconnect'];
  /** Lets attempts skip WebSockets while the server is unreachable. */
  readonly reachability: ServerReachability | undefined;
  readonly current: CurrentJoin;
  readonly media: LocalMedia;
  readonly data: DataMessaging;
  readonly peers: RemotePeers;
  /** The room opens the chat label (option `chat`): a rejoin opens it again. */
  readonly chat: boolean;
  /** Opens a connection that resumes `joined`'s session (`resumeRoom`). */
  resume(
    joined: Joined,
    signal: AbortSignal,
    onCandidate: (session: SignalingSession) => void,
  ): Promise<{ session: SignalingSession; peers: PeerInfo[] }>;
  /**
   * Joins again (`joinRoom` with the room's context), the room's join from
   * `onSession` on; `stillWanted` false makes the join's events stale.
   */
  join(stillWanted: () => boolean, onSession: (joined: Joined) => void): Promise<Joined>;
  reportError(error: RoomError): void;
  /** The room goes `reconnecting`. */
  started(cause: RoomError): void;
  /** The room is `connected` again. */
  recovered(event: RoomClientEvents['reconnected'][0]): void;
  /** The room gives up: `failed`. */
  gaveUp(error: RoomError): void;
}

/** One recovery (a `reconnecting` period). */
type Run = {
  reconnector: Reconnector;
  /** Calls made while reconnecting wait here. */
  gate: Promise<void>;
  /** Rejects the calls waiting at the gate. */
  fail: (error: unknown) => void;
  /** A resume cannot help any more (our transports are gone): rejoin. */
  mustRejoin: boolean;
  /**
   * The connection a resume is trying: what it says counts at once (the
   * replay can arrive in the same network read as the resume's answer).
   */
  candidate?: SignalingSession;
  /** Set once a rejoin dropped the old join: what to publish again. */
  kept?: { media: ReturnType<LocalMedia['suspend']>; labels: string[]; peers: Set<string> };
};

/**
 * The resume / rejoin flow: one retry loop at a time (`Reconnector`), each
 * attempt a resume of the session (same join, new connection; the server
 * replays what we missed) or a rejoin (a new join publishing the same
 * tracks). Calls made meanwhile wait at a gate and go once connected again,
 * or reject with the give-up.
 */
export class RoomRecovery {
  readonly #host: RecoveryHost;
  #run: Run | undefined;

  constructor(host: RecoveryHost) {
    this.#host = host;
  }

  /** A retry loop is running (the room is `reconnecting`). */
  get active(): boolean {
    return this.#run !== undefined;
  }

  /** The connection a resume is trying, which speaks for the room already. */
  get candidate(): SignalingSession | undefined {
    return this.#run?.candidate;
  }

  /** The peers present before a rejoin dropped the old join (they keep their `RemotePeer`). */
  get keptPeers(): Set<string> {
    return this.#run?.kept?.peers ?? new Set();
  }

  /** `connected`: runs `task` now (same task, so produce() calls batch); `reconnecting`: once back. */
  whenReady<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#run;
    return run ? run.gate.then(task) : task();
  }

  /** The network changed: the wait between attempts is cut short. */
  retryNow(): void {
    this.#run?.reconnector.retryNow();
  }

  /** Stops the loop; calls waiting at the gate reject with `error` (`leave()`). */
  cancel(error: RoomError): void {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    run.reconnector.cancel();
    run.fail(error);
  }

  /** Stops the loop without settling the gate (the room is torn down). */
  stop(): void {
    const run = this.#run;
    this.#run = undefined;
    run?.reconnector.cancel();
  }

  /**
   * Starts the retry loop (at most one at a time). Calls made meanwhile wait
   * at the gate and go once connected again, or reject with the give-up.
   */
  start(mode: RecoveryMode, cause: RoomError): void {
    const host = this.#host;
    const { reconnect } = host;
    if (!reconnect) return;
    const running = this.#run;
    if (running) {
      // A resume under way learns that only a rejoin can help now.
      if (mode === 'rejoin') running.mustRejoin = true;
      return;
    }
    let open: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const gate = new Promise<void>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    gate.catch(() => undefined); // nobody waiting is fine
    const reconnector = new Reconnector(
      host.clock,
      reconnect,
      reconnect.random,
      () => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false,
    );
    const stopWatching = watchMediaComeback({
      clock: host.clock,
      transports: () => [host.current.joined?.send, host.current.joined?.recv],
      onBack: () => {
        logger.debug('media is arriving again: retrying now');
        reconnector.retryNow();
      },
    });
    const run: Run = { reconnector, gate, fail, mustRejoin: mode === 'rejoin' };
    this.#run = run;
    logger.warn('recovering (%s): %s', mode, cause.message);
    host.started(cause);
    reconnector
      .run(mode, (attempt, signal) => this.#attempt(run, attempt, signal), cause)
      .then(
        ({ attempts, afterMs }) => {
          stopWatching();
          if (this.#run !== run) return;
          this.#run = undefined;
          const how = run.kept ? 'rejoined' : 'resumed';
          logger.debug('%s after %d ms (%d attempts)', how, afterMs, attempts);
          open();
          host.recovered({ how, afterMs, attempts });
        },
        (error: unknown) => {
          stopWatching();
          if (this.#run !== run) return; // left meanwhile: leave() settled it
          this.#run = undefined;
          run.fail(error);
          host.gaveUp(asRoomError(error, 'reconnect'));
        },
      );
  }

  async #attempt(run: Run, attempt: RecoveryMode, signal: AbortSignal): Promise<void> {
    const { reachability } = this.#host;
    await reachability?.beforeAttempt(signal);
    try {
      await (attempt === 'rejoin' || run.mustRejoin
        ? this.#rejoin(run, signal)
        : this.#resume(run, signal));
      reachability?.afterAttempt(false);
    } catch (error) {
      reachability?.afterAttempt(isChannelNotOpened(error));
      throw error;
    }
  }

  /** One resume attempt: same join, new connection; the server replays what we missed. */
  async #resume(run: Run, signal: AbortSignal): Promise<void> {
    const host = this.#host;
    const joined = host.current.joined;
    if (!joined?.resume || run.kept)
      throw new RoomError('JOIN_FAILED', 'nothing to resume', {
        protocolCode: 'SESSION_EXPIRED',
      });
    const { session, peers } = await host.resume(joined, signal, (candidate) => {
      run.candidate = candidate;
    });
    if (host.current.joined !== joined || this.#run !== run) {
      session.close();
      throw RoomError.reconnectCancelled();
    }
    joined.session = session;
    // Who joined meanwhile (the replay that follows says the rest, in order).
    for (const info of peers) host.peers.joined(info);
    host.current.flushIce();
  }

  /**
   * One rejoin attempt: the old join is dropped (its tracks kept, never
   * stopped), a new one made on a new connection, and the same tracks and
   * data labels published again. Remote tracks come back as new consumers.
   */
  async #rejoin(run: Run, signal: AbortSignal): Promise<void> {
    const host = this.#host;
    if (!run.kept) {
      const labels = host.data.labels;
      if (host.chat && !labels.includes(CHAT_LABEL)) labels.push(CHAT_LABEL);
      run.kept = { media: host.media.suspend(), labels, peers: host.peers.ids };
      host.data.clear();
      host.peers.dropTracks();
      host.current.drop(true);
    }
    const { kept } = run;
    let joined: Joined | undefined;
    const stillWanted = () => !signal.aborted && this.#run === run;
    const onAbort = () => joined?.session.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      joined = await host.join(stillWanted, (started) => {
        joined = started;
      });
      const failures = await host.media.republish(kept.media);
      for (const error of failures) host.reportError(asRoomError(error, 'track'));
      for (const label of kept.labels) {
        host.data.open(label).catch((error: unknown) => {
          if (host.current.joined === joined) host.reportError(asRoomError(error, 'chat channel'));
        });
      }
      if (!stillWanted()) throw RoomError.reconnectCancelled();
      if (joined.session.ended) throw RoomError.signalingClosed('lost again while rejoining');
    } catch (error) {
      if (joined && host.current.joined === joined) host.current.drop(false);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

export function asRoomError(error: unknown, what: string): RoomError {
  if (error instanceof RoomError) return error;
  return what === 'chat channel'
    ? RoomError.requestFailed('produceData', error)
    : RoomError.mediaFailed(what, error);
}
