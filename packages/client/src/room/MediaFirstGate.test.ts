import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from './Clock.js';
import { MediaFirstGate } from './MediaFirstGate.js';

/** Timers that fire only when the test says so. */
function manualClock(): Clock & { fire(): void } {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    now: () => 0,
    setTimeout: (callback) => {
      timers.set(next, callback);
      return next++;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
    fire: () => {
      for (const [handle, callback] of [...timers]) {
        timers.delete(handle);
        callback();
      }
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('MediaFirstGate', () => {
  it('lets data through at once when no media is being enabled', async () => {
    const gate = new MediaFirstGate(manualClock(), 5000);
    let passed = false;
    void gate.passed().then(() => {
      passed = true;
    });
    await flush();
    assert.equal(passed, true);
  });

  it('holds data until every ticket is returned (twice returned counts once)', async () => {
    const gate = new MediaFirstGate(manualClock(), 5000);
    const camera = gate.ticket();
    const microphone = gate.ticket();
    let passed = false;
    void gate.passed().then(() => {
      passed = true;
    });
    camera();
    camera();
    await flush();
    assert.equal(passed, false, 'the microphone is still being enabled');
    microphone();
    await flush();
    assert.equal(passed, true);
  });

  it('gives up waiting after maxWaitMs (a permission prompt left open)', async () => {
    const clock = manualClock();
    const gate = new MediaFirstGate(clock, 5000);
    gate.ticket();
    let passed = false;
    void gate.passed().then(() => {
      passed = true;
    });
    await flush();
    assert.equal(passed, false);
    clock.fire();
    await flush();
    assert.equal(passed, true);
  });
});
