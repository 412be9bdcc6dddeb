import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './RateLimiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 3, now: () => now });
    assert.deepEqual(
      [limiter.take(), limiter.take(), limiter.take(), limiter.take()],
      [true, true, true, false],
    );
    now += 100; // one token at 10/s
    assert.equal(limiter.take(), true);
    assert.equal(limiter.take(), false);
  });

  it('never stores more than the burst', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 100, burst: 2, now: () => now });
    now += 60_000;
    assert.deepEqual([limiter.take(), limiter.take(), limiter.take()], [true, true, false]);
  });
});
