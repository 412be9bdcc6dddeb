import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transport } from '../Transport.js';
import { COMEBACK_POLL_MS, watchMediaComeback } from './mediaComeback.js';
import { FakeClock } from './test/FakeClock.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A transport whose stats report `bytes()` received (Chromium's 'transport' stats shape). */
function transportReceiving(bytes: () => number): Transport {
  return {
    closed: false,
    getStats: async () => new Map([['T01', { type: 'transport', bytesReceived: bytes() }]]),
  } as unknown as Transport;
}

describe('watchMediaComeback', () => {
  it('calls onBack once when bytes arrive after 500 ms without any; not while they flow', async () => {
    const clock = new FakeClock();
    let bytes = 0;
    let flowing = true;
    const transport = transportReceiving(() => {
      if (flowing) bytes += 1000;
      return bytes;
    });
    let backs = 0;
    const stop = watchMediaComeback({
      clock,
      transports: () => [transport, undefined],
      onBack: () => backs++,
    });
    await clock.advance(COMEBACK_POLL_MS * 8, settle);
    assert.equal(backs, 1, 'flowing at the start (the link came back as signaling gave up): once');
    backs = 0;

    flowing = false; // the link is cut
    await clock.advance(COMEBACK_POLL_MS * 8, settle);
    assert.equal(backs, 0);
    flowing = true; // and back
    await clock.advance(COMEBACK_POLL_MS, settle);
    assert.equal(backs, 1, 'the first bytes after the silence');
    await clock.advance(COMEBACK_POLL_MS * 8, settle);
    assert.equal(backs, 1, 'once per silence');

    flowing = false;
    await clock.advance(COMEBACK_POLL_MS, settle); // one flat read: a hiccup, not an outage
    flowing = true;
    await clock.advance(COMEBACK_POLL_MS * 2, settle);
    assert.equal(backs, 1);

    stop();
    flowing = false;
    await clock.advance(COMEBACK_POLL_MS * 4, settle);
    flowing = true;
    await clock.advance(COMEBACK_POLL_MS * 4, settle);
    assert.equal(backs, 1, 'stopped');
  });

  it('does nothing when stats cannot be read (FakeHandler, closed transports)', async () => {
    const clock = new FakeClock();
    const broken = {
      closed: false,
      getStats: async () => {
        throw new Error('closed');
      },
    } as unknown as Transport;
    let backs = 0;
    const stop = watchMediaComeback({ clock, transports: () => [broken], onBack: () => backs++ });
    await clock.advance(COMEBACK_POLL_MS * 10, settle);
    assert.equal(backs, 0);
    stop();
  });
});
