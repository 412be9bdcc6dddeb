import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressLimiter } from './AddressLimiter.js';

describe('AddressLimiter', () => {
  it('gives each remote address its own bucket', () => {
    const limiter = new AddressLimiter({ perSecond: 0.001, burst: 2 });
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('192.0.2.1')),
      [true, true, false],
    );
    assert.equal(limiter.take('192.0.2.2'), true, 'another address is not affected');
  });

  it('counts an IPv6 /64 as one address: rotating through the prefix gains nothing (F6)', () => {
    const limiter = new AddressLimiter({ perSecond: 0.001, burst: 2 });
    assert.deepEqual(
      ['2001:db8:0:1::1', '2001:db8:0:1::2', '2001:db8:0:1:ab::3'].map((a) => limiter.take(a)),
      [true, true, false],
    );
    assert.equal(limiter.take('2001:db8:0:2::1'), true, 'another /64 is another client');
  });

  it('does not limit connections of unknown address (their per-session budget applies)', () => {
    const limiter = new AddressLimiter({ perSecond: 0.001, burst: 1 });
    assert.ok([1, 2, 3].every(() => limiter.take(undefined)));
    assert.equal(limiter.size, 0);
  });

  it('forgets addresses whose bucket has refilled', () => {
    let now = 0;
    const limiter = new AddressLimiter({ perSecond: 1000, burst: 1, now: () => now });
    limiter.take('192.0.2.1');
    now += 10;
    limiter.prune();
    assert.equal(limiter.size, 0);
  });
});
