import { ProtocolError } from '@vroom/protocol';
import { Logger } from '../Logger.js';
import { Backoff, type BackoffOptions } from './Backoff.js';
import { type Clock, sleep } from './Clock.js';
import { RoomError } from './errors.js';
import { CLIENT_TIMING } from './timing.js';

const logger = new Logger('room:Reconnector');

export type ReconnectOptions = BackoffOptions & {
  /** How long to keep trying before giving up (RECONNECT_GAVE_UP). Default 120000 ms. */
  maxDurationMs?: number;
  /** One attempt (open, resume or join) that takes longer than this is abandoned. Default 10000 ms. */
  attemptTimeoutMs?: number;
};

export const DEFAULT_RECONNECT = CLIENT_TIMING.reconnect;

export type RecoveryMode = 'resume' | 'rejoin';

/** One try; must clean up after itself when it throws or when `signal` aborts. */
export type Attempt = (mode: RecoveryMode, signal: AbortSignal) => Promise<void>;

/** An attempt this old when the network comes back is abandoned for a fresh one. */
export const STALE_ATTEMPT_MS = CLIENT_TIMING.staleAttemptMs;

/**
 * While the device says it is offline, attempts are skipped, but one still
 * goes out this often (an offline flag can be wrong: VPNs, odd interfaces).
 * Why skip at all: a failed WebSocket costs later ones. Chromium delays each
 * new WebSocket of a page by 1-5 s once its failures outnumber its
 * successes about 16 to 1 (its per-renderer throttle); Firefox delays
 * reconnects to a host by 1.5x more after each failure (RFC 6455 7.2.3).
 * Ninety seconds of attempts every 3 s were enough to delay the first
 * attempt after the network came back by up to 4.7 s.
 */
export const OFFLINE_ATTEMPT_EVERY_MS = CLIENT_TIMING.offlineAttemptEveryMs;

/** Server answers that no retry can change: give up at once. */
const FATAL = new Set(['JOIN_REFUSED', 'VERSION_MISMATCH']);

/**
 * The retry loop of one recovery: attempts (resume first when the session
 * has a token, else rejoin) spaced by `Backoff`, until one succeeds, the
 * time runs out or the server refuses for good. SESSION_EXPIRED turns a
 * resume into a rejoin (tried at once); RATE_LIMITED and every network
 * failure just mean "later".
 */
export class Reconnector {
  readonly #clock: Clock;
  readonly #options: Required<Pick<ReconnectOptions, 'maxDurationMs' | 'attemptTimeoutMs'>>;
  readonly #backoff: Backoff;
  readonly #abort = new AbortController();
  /** Cuts the current wait short (back online: no point waiting). */
  #wake: (() => void) | undefined;
  /** The attempt under way: when it started, and how to abandon it. */
  #inFlight: { startedAt: number; supersede: () => void } | undefined;

  /** True while the device reports no network (`navigator.onLine === false`). */
  readonly #isOffline: () => boolean;

  constructor(
    clock: Clock,
    options: ReconnectOptions = {},
    random: () => number = Math.random,
    isOffline: () => boolean = () => false,
  ) {
    this.#clock = clock;
    this.#isOffline = isOffline;
    this.#options = { ...DEFAULT_RECONNECT, ...stripUndefined(options) };
    this.#backoff = new Backoff(options, random);
  }

  /** Resolves with how it recovered; rejects with RECONNECT_GAVE_UP (or the fatal refusal). */
  async run(
    first: RecoveryMode,
    attempt: Attempt,
    cause: RoomError,
  ): Promise<{ how: RecoveryMode; afterMs: number; attempts: number }> {
    const started = this.#clock.now();
    let mode = first;
    let lastError: unknown = cause;
    let attempts = 0;
    let lastAttemptAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      const elapsed = this.#clock.now() - started;
      if (attempts > 0 && elapsed >= this.#options.maxDurationMs) {
        throw RoomError.reconnectGaveUp(elapsed, attempts, lastError);
      }
      const delay = this.#backoff.next();
      if (delay > 0) {
        logger.debug('next %s attempt in %d ms', mode, Math.round(delay));
        if (!(await this.#wait(delay))) throw RoomError.reconnectCancelled();
      }
      if (this.#abort.signal.aborted) throw RoomError.reconnectCancelled();
      if (this.#isOffline() && this.#clock.now() - lastAttemptAt < OFFLINE_ATTEMPT_EVERY_MS) {
        logger.debug('offline: %s attempt skipped until the network is back', mode);
        continue;
      }
      lastAttemptAt = this.#clock.now();
      attempts++;
      try {
        await this.#attempt(attempt, mode);
        return { how: mode, afterMs: this.#clock.now() - started, attempts };
      } catch (error) {
        if (this.#abort.signal.aborted) throw RoomError.reconnectCancelled();
        lastError = error;
        const code = protocolCode(error);
        logger.debug('%s attempt %d failed: %s', mode, attempts, describe(error));
        if (code !== undefined && FATAL.has(code)) {
          throw RoomError.reconnectGaveUp(this.#clock.now() - started, attempts, error);
        }
        if (mode === 'resume' && code === 'SESSION_EXPIRED') {
          mode = 'rejoin';
          this.#backoff.reset();
        }
      }
    }
  }

  /** Stops the loop (leave(), or the room closed for good). */
  cancel(): void {
    this.#abort.abort();
  }

  /**
   * The network is back or changed: tries again now, and starts the waits
   * over from the shortest, because the first attempt may still come too
   * early (an address or route that lags the link by a moment) and a
   * capped 3 s wait after it would be most of the recovery time.
   */
  retryNow(): void {
    this.#backoff.reset();
    this.#wake?.();
    // An attempt started well before the network came back went out on the
    // dead one (a browser can take seconds to fail it): start afresh. A
    // younger one is let be: it may be about to succeed.
    const current = this.#inFlight;
    if (current && this.#clock.now() - current.startedAt >= STALE_ATTEMPT_MS) {
      logger.debug('attempt under way since before the network came back: starting afresh');
      current.supersede();
    }
  }

  async #wait(ms: number): Promise<boolean> {
    const woken = new AbortController();
    const onAbort = () => woken.abort();
    this.#abort.signal.addEventListener('abort', onAbort, { once: true });
    this.#wake = () => woken.abort();
    try {
      await sleep(this.#clock, ms, woken.signal);
      return !this.#abort.signal.aborted;
    } finally {
      this.#wake = undefined;
      this.#abort.signal.removeEventListener('abort', onAbort);
    }
  }

  /** One attempt, abandoned (aborted) past `attemptTimeoutMs`. */
  async #attempt(attempt: Attempt, mode: RecoveryMode): Promise<void> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    this.#abort.signal.addEventListener('abort', onAbort, { once: true });
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#clock.setTimeout(() => {
        controller.abort();
        reject(ProtocolError.timeout(`${mode} attempt`, this.#options.attemptTimeoutMs));
      }, this.#options.attemptTimeoutMs);
    });
    const superseded = new Promise<never>((_, reject) => {
      this.#inFlight = {
        startedAt: this.#clock.now(),
        supersede: () => {
          controller.abort();
          reject(new Error(`${mode} attempt abandoned: the network came back meanwhile`));
        },
      };
    });
    const running = attempt(mode, controller.signal);
    // The attempt cleans up on abort; its own late rejection is not news.
    running.catch(() => undefined);
    try {
      await Promise.race([running, timeout, superseded]);
    } finally {
      this.#inFlight = undefined;
      this.#clock.clearTimeout(timer);
      this.#abort.signal.removeEventListener('abort', onAbort);
    }
  }
}

function protocolCode(error: unknown): string | undefined {
  if (error instanceof RoomError) return error.protocolCode;
  if (error instanceof ProtocolError) return error.code;
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
