import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '@vroom/protocol';
import { Backoff } from './Backoff.js';
import { RoomError } from './errors.js';
import {
  OFFLINE_ATTEMPT_EVERY_MS,
  Reconnector,
  type RecoveryMode,
  STALE_ATTEMPT_MS,
} from './Reconnector.js';
import { FakeClock } from './test/FakeClock.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Backoff', () => {
  it('first retry at once, then doubling from 250 ms, capped at 3 s with at most 0.5 s of jitter', () => {
    const low = new Backoff({}, () => 0);
    const high = new Backoff({}, () => 0.999_999);
    const lows = Array.from({ length: 9 }, () => low.next());
    const highs = Array.from({ length: 9 }, () => high.next());
    assert.deepEqual(lows, [0, 250, 500, 1000, 2000, 2500, 2500, 2500, 2500]);
    assert.equal(highs[0], 0, 'no jitter on the immediate retry');
    for (let i = 1; i < highs.length; i++) {
      const jitter = (highs[i] ?? 0) - (lows[i] ?? 0);
      assert.ok(jitter > 0.499 * 1000 && jitter <= 500, `jitter ${jitter} of wait ${i}`);
      assert.ok((highs[i] ?? 0) <= 3000, 'the cap holds jitter included');
    }
    low.reset();
    assert.equal(low.next(), 0, 'reset starts over with an immediate try');
  });
});

describe('Reconnector', () => {
  /** Runs a recovery whose attempts fail with `fail(n, mode)` (or succeed on undefined). */
  function run(
    fail: (attempt: number, mode: RecoveryMode) => Error | undefined,
    options: ConstructorParameters<typeof Reconnector>[1] = {},
  ) {
    const clock = new FakeClock();
    const attempts: { at: number; mode: RecoveryMode }[] = [];
    const reconnector = new Reconnector(clock, options, () => 0.5);
    const result = reconnector.run(
      'resume',
      async (mode) => {
        attempts.push({ at: clock.now(), mode });
        const error = fail(attempts.length, mode);
        if (error) throw error;
      },
      RoomError.signalingClosed('test'),
    );
    result.catch(() => undefined);
    return { clock, attempts, result, reconnector };
  }

  it('RATE_LIMITED and network errors mean "later": waits grow (0, 500, 750, 1250, ...) until one works', async () => {
    const { clock, attempts, result } = run((n) =>
      n < 6
        ? n % 2
          ? new ProtocolError('RATE_LIMITED', 'slow down')
          : new Error('connection refused')
        : undefined,
    );
    await clock.advance(60_000, tick);
    const outcome = await result;
    assert.deepEqual(outcome, { how: 'resume', afterMs: 7500, attempts: 6 });
    const gaps = attempts.slice(1).map((a, i) => a.at - (attempts[i]?.at ?? 0));
    assert.equal(attempts[0]?.at, 0, 'the first attempt goes at once');
    assert.deepEqual(gaps, [500, 750, 1250, 2250, 2750]);
  });

  it('SESSION_EXPIRED turns the resume into a rejoin, tried at once', async () => {
    const { clock, attempts, result } = run((n) =>
      n === 1 ? new ProtocolError('SESSION_EXPIRED', 'gone') : undefined,
    );
    await clock.advance(0, tick);
    assert.deepEqual(await result, { how: 'rejoin', afterMs: 0, attempts: 2 });
    assert.deepEqual(
      attempts.map((a) => a.mode),
      ['resume', 'rejoin'],
    );
  });

  it('gives up after maxDurationMs with RECONNECT_GAVE_UP carrying the last error', async () => {
    const { clock, attempts, result } = run(() => new Error('connection refused'), {
      maxDurationMs: 120_000,
    });
    await clock.advance(130_000, tick);
    await assert.rejects(result, (error: RoomError) => {
      assert.equal(error.code, 'RECONNECT_GAVE_UP');
      assert.match(String((error.cause as Error).message), /connection refused/);
      return true;
    });
    // Tries for the whole two minutes: the last try starts at most one wait (3 s) past them.
    const last = attempts.at(-1)?.at ?? 0;
    assert.ok(last >= 117_000 && last <= 123_000, `last attempt at ${last} ms`);
    assert.ok(attempts.length > 40, `${attempts.length} attempts in two minutes`);
  });

  it('a refusal no retry can change (JOIN_REFUSED) gives up at once', async () => {
    const { clock, attempts, result } = run(() => new ProtocolError('JOIN_REFUSED', 'banned'));
    await clock.advance(0, tick);
    await assert.rejects(result, { code: 'RECONNECT_GAVE_UP', protocolCode: 'JOIN_REFUSED' });
    assert.equal(attempts.length, 1);
  });

  it('an attempt that hangs is abandoned after attemptTimeoutMs and retried', async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    const reconnector = new Reconnector(clock, { attemptTimeoutMs: 5000 }, () => 0);
    const result = reconnector.run(
      'resume',
      (_mode, signal) => {
        signals.push(signal);
        return signals.length === 1 ? new Promise(() => undefined) : Promise.resolve();
      },
      RoomError.signalingClosed('test'),
    );
    await clock.advance(6000, tick);
    assert.deepEqual(await result, { how: 'resume', afterMs: 5250, attempts: 2 });
    assert.equal(signals[0]?.aborted, true, 'the hung attempt was told to clean up');
  });

  it('retryNow() cuts the wait short; cancel() stops the loop', async () => {
    const { clock, attempts, result, reconnector } = run(() => new Error('down'));
    await clock.advance(0, tick);
    await clock.advance(600, tick); // second attempt at 500 ms, third waits 750 ms
    assert.equal(attempts.length, 2);
    reconnector.retryNow();
    await clock.advance(0, tick);
    // Back online: tried at once, and the waits start over (an immediate
    // retry first, as at the start of a recovery)...
    assert.equal(attempts.length, 4);
    await clock.advance(499, tick);
    assert.equal(attempts.length, 4);
    await clock.advance(1, tick);
    assert.equal(attempts.length, 5, '...then after 500 ms (250 + half the jitter), not 2.25 s');
    reconnector.cancel();
    await assert.rejects(result, { code: 'NOT_JOINED' });
  });
  it('retryNow() abandons an attempt hanging since before the network came back, not a young one', async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    let calls = 0;
    const reconnector = new Reconnector(clock, {}, () => 0.5);
    const result = reconnector.run(
      'resume',
      (_mode, signal) => {
        signals.push(signal);
        calls++;
        // The first attempt hangs (a connect on a dead network); the next ones succeed.
        return calls === 1 ? new Promise<void>(() => undefined) : Promise.resolve();
      },
      RoomError.signalingTimeout(5000),
    );
    await clock.advance(0, tick);
    await clock.advance(STALE_ATTEMPT_MS - 1, tick);
    reconnector.retryNow();
    await clock.advance(0, tick);
    assert.equal(calls, 1, 'young: let be');
    await clock.advance(1, tick);
    reconnector.retryNow();
    await clock.advance(0, tick);
    assert.equal(signals[0]?.aborted, true, 'the stale attempt was told to clean up');
    assert.deepEqual(await result, { how: 'resume', afterMs: STALE_ATTEMPT_MS, attempts: 2 });
  });

  it('while the device is offline, tries once every 10 s instead of every backoff step; back online, at once', async () => {
    const clock = new FakeClock();
    let offline = true;
    const attempts: number[] = [];
    const reconnector = new Reconnector(
      clock,
      {},
      () => 0.5,
      () => offline,
    );
    const result = reconnector.run(
      'resume',
      async () => {
        attempts.push(clock.now());
        // Fails while offline (a browser fails such sockets at once), then works.
        if (offline) throw new Error('net::ERR_INTERNET_DISCONNECTED');
      },
      RoomError.signalingClosed('test'),
    );
    await clock.advance(0, tick);
    assert.deepEqual(
      attempts,
      [0],
      'the first attempt goes out even offline: the flag may be wrong',
    );
    await clock.advance(OFFLINE_ATTEMPT_EVERY_MS * 3, tick);
    // About 12 backoff steps passed; each skipped while offline but one per 10 s.
    assert.ok(attempts.length >= 3 && attempts.length <= 4, `attempts at ${attempts.join(', ')}`);
    for (let i = 1; i < attempts.length; i++) {
      assert.ok((attempts[i] ?? 0) - (attempts[i - 1] ?? 0) >= OFFLINE_ATTEMPT_EVERY_MS);
    }
    const before = attempts.length;
    offline = false;
    reconnector.retryNow(); // the 'online' event
    await clock.advance(0, tick);
    assert.equal(attempts.length, before + 1, 'back online: tried at once');
    const outcome = await result;
    assert.equal(outcome.attempts, before + 1, 'skipped steps are not counted as attempts');
  });
});
