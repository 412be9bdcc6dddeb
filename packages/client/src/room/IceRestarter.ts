import { ProtocolError } from '@vroom/protocol';
import { Logger } from '../Logger.js';
import type { Transport } from '../Transport.js';
import type { Clock } from './Clock.js';
import type { Request } from './SignalingSession.js';
import { CLIENT_TIMING } from './timing.js';
import { bytesReceived } from './transportBytes.js';

const logger = new Logger('room:IceRestarter');

export const DEFAULT_ICE_TIMEOUT_MS = CLIENT_TIMING.iceTimeoutMs;

export type IceRestarterOptions = {
  clock: Clock;
  /**
   * How long a transport may take to reach 'connected' after it started
   * connecting (its `connect` event) or after an ICE restart. Past that it
   * counts as failed, whatever its state says: a peer connection whose every
   * candidate pair fails can sit in 'new' or 'checking' for a long time.
   */
  timeoutMs: number;
  /** After trouble lasting this long without one 'connected', `onGiveUp`. */
  giveUpAfterMs: number;
  /** Signaling is up now (a request would go out). */
  canSignal: () => boolean;
  request: Request;
  /** The transport failed (its state, or the watchdog): reported, a restart is under way. */
  onFailed: (transport: Transport) => void;
  /** ICE restarts did not bring it back: only a new join can. */
  onGiveUp: (transport: Transport) => void;
  /**
   * A transport lost its path ('disconnected' or 'failed'): the signaling
   * socket may be on the same dead path, and the restart needs it.
   */
  onPathLost?: (transport: Transport) => void;
};

type Watched = {
  transport: Transport;
  inFlight: boolean;
  again: boolean;
  /** Wanted while signaling was down: done by `flush()`. */
  pending: boolean;
  /** A check that the transport still receives is running. */
  checking: boolean;
  /**
   * The path is known bad (a check found it silent, or the state said so):
   * a pending restart goes without another check, even if the browser
   * still calls the transport 'connected'.
   */
  pathDead: boolean;
  /** When a path check last saw bytes arrive (clock ms). */
  aliveAt: number | undefined;
  watchdog: unknown;
  troubleSince: number | undefined;
};

/** Wait before asking again when the server refused a restart (RATE_LIMITED...). */
const RETRY_MS = CLIENT_TIMING.iceRetryMs;

/**
 * How long a 'connected' transport is watched for incoming bytes after a
 * network event before ICE is restarted. Long enough for a path that works
 * to show it (media, RTCP, STUN answers arrive many times a second), short
 * next to the seconds ICE itself takes to call a dead path 'disconnected'.
 */
export const PATH_CHECK_MS = CLIENT_TIMING.pathCheckMs;

/**
 * A 'disconnected' this soon after a path check saw bytes arrive is checked
 * again rather than acted on: after a link comes back Chromium can report
 * 'disconnected' for a path that has carried media again for a second
 * (its checks timed out during the outage), and a restart then moves a
 * working path (measured: the cut client's video back 1.06 s after the
 * link instead of ~0.25 s).
 */
export const ALIVE_FRESH_MS = CLIENT_TIMING.aliveFreshMs;

/**
 * Keeps a join's WebRTC transports connected: when one goes 'disconnected'
 * or 'failed', or its watchdog expires, it asks the server for new ICE
 * parameters (`restartIce`) at once and restarts ICE with them. One restart
 * per transport at a time; a trigger during one runs another right after.
 * While signaling is down the restart waits for `flush()` (after a resume).
 */
export class IceRestarter {
  readonly #options: IceRestarterOptions;
  readonly #watched = new Map<Transport, Watched>();
  #closed = false;

  constructor(options: IceRestarterOptions) {
    this.#options = options;
  }

  watch(transport: Transport): void {
    const entry: Watched = {
      transport,
      inFlight: false,
      again: false,
      pending: false,
      checking: false,
      pathDead: false,
      aliveAt: undefined,
      watchdog: undefined,
      troubleSince: undefined,
    };
    this.#watched.set(transport, entry);
    // A second 'connect' listener: it only notes the moment, the wiring answers.
    transport.on('connect', () => this.#arm(entry));
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected') {
        entry.pathDead = false;
        this.#options.clock.clearTimeout(entry.watchdog);
        entry.watchdog = undefined;
        entry.troubleSince = undefined;
      } else if (
        state === 'disconnected' &&
        !entry.inFlight &&
        entry.aliveAt !== undefined &&
        this.#options.clock.now() - entry.aliveAt < ALIVE_FRESH_MS
      ) {
        void this.#checkPath(entry, 'disconnected, but it received just now');
      } else if (state === 'failed' || (state === 'disconnected' && !entry.inFlight)) {
        // 'disconnected' during a restart is the restart at work, not news.
        entry.pathDead = true;
        if (state === 'failed') this.#options.onFailed(transport);
        this.#options.onPathLost?.(transport);
        this.restart(transport, state);
      }
    });
  }

  /**
   * The network changed or came back: restarts ICE on every transport that
   * has started connecting, except one that is 'connected' and proves its
   * path still works by receiving within `PATH_CHECK_MS`. A link that
   * dropped and came back on the same address needs no restart, and an
   * unneeded one costs a second of video (the browser resets its bandwidth
   * estimate on the new route); an address that went away needs one at once.
   */
  restartAll(why: string): void {
    for (const entry of this.#watched.values()) {
      const { transport } = entry;
      if (transport.connectionState === 'new' || this.#closed || transport.closed) continue;
      if (transport.connectionState === 'connected') void this.#checkPath(entry, why);
      else this.restart(transport, why);
    }
  }

  restart(transport: Transport, why: string): void {
    const entry = this.#watched.get(transport);
    if (!entry || this.#closed || transport.closed) return;
    entry.troubleSince ??= this.#options.clock.now();
    if (!this.#options.canSignal()) {
      logger.debug('%s transport: ICE restart (%s) waits for signaling', transport.direction, why);
      entry.pending = true;
      return;
    }
    if (entry.inFlight) {
      entry.again = true;
      return;
    }
    logger.debug('%s transport: restarting ICE (%s)', transport.direction, why);
    void this.#run(entry);
  }

  /**
   * Signaling is back: restarts that waited for it go now, except on a
   * transport that is 'connected' again and receiving (the link came back
   * on the same path, as after a short outage).
   */
  flush(): void {
    for (const entry of this.#watched.values()) {
      if (!entry.pending) continue;
      entry.pending = false;
      if (entry.transport.connectionState === 'connected' && !entry.pathDead) {
        void this.#checkPath(entry, 'signaling is back');
      } else this.restart(entry.transport, 'signaling is back');
    }
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#watched.values()) this.#options.clock.clearTimeout(entry.watchdog);
    this.#watched.clear();
  }

  async #run(entry: Watched): Promise<void> {
    const { transport } = entry;
    entry.inFlight = true;
    entry.pending = false;
    try {
      const { iceParameters } = await this.#options.request('restartIce', {
        transportId: transport.id,
      });
      if (this.#closed || transport.closed) return;
      await transport.restartIce({ iceParameters });
      entry.pathDead = false;
      this.#arm(entry);
    } catch (error) {
      if (this.#closed || transport.closed) return;
      logger.warn('%s transport: ICE restart failed: %o', transport.direction, error);
      if (error instanceof ProtocolError && error.code === 'CLOSED') entry.pending = true;
      else this.#arm(entry, Math.min(RETRY_MS, this.#options.timeoutMs));
    } finally {
      entry.inFlight = false;
      if (entry.again && !this.#closed) {
        entry.again = false;
        this.restart(transport, 'asked again meanwhile');
      }
    }
  }

  /** Restarts ICE unless the transport receives something within `PATH_CHECK_MS`. */
  async #checkPath(entry: Watched, why: string): Promise<void> {
    if (entry.checking) return;
    entry.checking = true;
    const { transport } = entry;
    try {
      const before = await bytesReceived(transport);
      await new Promise<void>((resolve) => this.#options.clock.setTimeout(resolve, PATH_CHECK_MS));
      if (this.#closed || transport.closed) return;
      const after = await bytesReceived(transport);
      entry.pathDead = !(before !== undefined && after !== undefined && after > before);
      entry.aliveAt = entry.pathDead ? undefined : this.#options.clock.now();
      if (!entry.pathDead) {
        logger.debug(
          '%s transport: still receiving (%s): no ICE restart',
          transport.direction,
          why,
        );
        entry.troubleSince = undefined;
        return;
      }
    } finally {
      entry.checking = false;
    }
    this.restart(transport, why);
  }

  /** (Re)starts the watchdog: not 'connected' by then means failed. */
  #arm(entry: Watched, ms = this.#options.timeoutMs): void {
    const { clock } = this.#options;
    clock.clearTimeout(entry.watchdog);
    if (entry.transport.connectionState === 'connected' && ms === this.#options.timeoutMs) {
      entry.watchdog = undefined;
      return;
    }
    entry.watchdog = clock.setTimeout(() => {
      entry.watchdog = undefined;
      const { transport } = entry;
      if (this.#closed || transport.closed || transport.connectionState === 'connected') return;
      entry.troubleSince ??= clock.now();
      if (clock.now() - entry.troubleSince >= this.#options.giveUpAfterMs) {
        logger.warn('%s transport: ICE did not come back; giving up on it', transport.direction);
        this.#options.onGiveUp(transport);
        return;
      }
      logger.warn(
        '%s transport: not connected %d ms after connecting or restarting: failed',
        transport.direction,
        ms,
      );
      this.#options.onFailed(transport);
      this.restart(transport, 'watchdog');
    }, ms);
  }
}
