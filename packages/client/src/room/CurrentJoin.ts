import type { Transport } from '../Transport.js';
import type { Clock } from './Clock.js';
import { RoomError } from './errors.js';
import { IceRestarter } from './IceRestarter.js';
import type { Joined } from './joinRoom.js';
import type { ResolvedRecoveryOptions } from './options.js';
import type { Request } from './SignalingSession.js';
import { CLIENT_TIMING } from './timing.js';

/** What the current join tells the room about its transports' ICE. */
export interface CurrentJoinOptions {
  clock: Clock;
  recovery: Pick<ResolvedRecoveryOptions, 'iceTimeoutMs' | 'giveUpAfterMs'>;
  /** A transport failed; its restart is under way (nobody awaits it). */
  onTransportFailed: (error: RoomError) => void;
  /** A transport is beyond repair (ICE trouble for `giveUpAfterMs`): only a rejoin helps. */
  onTransportLost: (error: RoomError) => void;
}

/**
 * The room's current join (`Joined`: its session, device and transports) and
 * the ICE restarts of its transports. A join or rejoin replaces both; a
 * resume replaces only the session inside. Everything that asks "is this
 * still the room's join?" asks here.
 */
export class CurrentJoin {
  readonly #options: CurrentJoinOptions;
  #joined: Joined | undefined;
  /** Restarts ICE of the current join's transports. */
  #ice: IceRestarter | undefined;

  constructor(options: CurrentJoinOptions) {
    this.#options = options;
  }

  get joined(): Joined | undefined {
    return this.#joined;
  }

  /** A join (or rejoin) started: it is the room's now, and its transports get a new ICE watch. */
  start(joined: Joined): void {
    this.#joined = joined;
    this.#ice?.close();
    this.#ice = this.#newIceRestarter(joined);
  }

  /** Watches a transport of `joined` (if it is still the room's join) for ICE trouble. */
  watch(joined: Joined, transport: Transport): void {
    if (this.#joined === joined) this.#ice?.watch(transport);
  }

  /**
   * A network change: the socket and the ICE paths may be gone. A socket on
   * a path that just went away says nothing for seconds, so it is probed.
   */
  checkNetwork(why: string): void {
    this.#joined?.session.probe();
    this.#ice?.restartAll(why);
  }

  /** Signaling is back (resumed): the restarts that waited for it go now. */
  flushIce(): void {
    this.#ice?.flush();
  }

  /** A request on the current connection (recovery's own requests go through here too). */
  readonly request: Request = (method, data) => {
    const session = this.#joined?.session;
    if (!session || session.ended) return Promise.reject(RoomError.notJoined(method));
    return session.request(method, data);
  };

  /**
   * Drops the current join's transports, session and ICE watch. `courtesy`:
   * tell the server we are going (when its channel still works), so the
   * others do not keep a ghost of us during the server's grace period.
   */
  drop(courtesy: boolean): void {
    const joined = this.#joined;
    this.#joined = undefined;
    this.#ice?.close();
    this.#ice = undefined;
    if (!joined) return;
    joined.send?.close();
    joined.recv?.close();
    const { session } = joined;
    if (courtesy && !session.ended && joined.peerId !== undefined) {
      // Closed once answered (or after a short wait): closing at once could drop the goodbye.
      const { clock } = this.#options;
      const timer = clock.setTimeout(() => session.close(), CLIENT_TIMING.leaveTimeoutMs);
      session
        .request('leave', {})
        .catch(() => undefined)
        .finally(() => {
          clock.clearTimeout(timer);
          session.close();
        });
      return;
    }
    session.close();
  }

  #newIceRestarter(joined: Joined): IceRestarter {
    const current = () => this.#joined === joined && this.#ice === ice;
    const { clock, recovery } = this.#options;
    const ice: IceRestarter = new IceRestarter({
      clock,
      timeoutMs: recovery.iceTimeoutMs,
      giveUpAfterMs: recovery.giveUpAfterMs,
      canSignal: () => current() && !joined.session.ended && joined.peerId !== undefined,
      request: (method, data) => joined.session.request(method, data),
      onFailed: (transport) => {
        if (current())
          this.#options.onTransportFailed(RoomError.transportFailed(transport.direction));
      },
      onGiveUp: (transport) => {
        if (current())
          this.#options.onTransportLost(RoomError.transportFailed(transport.direction));
      },
      // Ask the server at once rather than wait for the heartbeat's 5 s: the
      // restart needs signaling (Firefox drops its ICE path the instant its
      // interface goes down, and no 'offline' event may come).
      onPathLost: () => {
        if (current()) joined.session.probe();
      },
    });
    return ice;
  }
}
