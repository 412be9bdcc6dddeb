import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnhancedEventEmitter } from './enhancedEvents.js';

type Events = {
  tick: [number];
  ask: [string, (answer: number) => void, (error: Error) => void];
};

describe('EnhancedEventEmitter', () => {
  it('safeEmit() runs every listener even when one throws', () => {
    const emitter = new EnhancedEventEmitter<Events>();
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('bad listener');
    });
    emitter.on('tick', (n) => seen.push(n));
    emitter.once('tick', (n) => seen.push(n * 10));
    assert.equal(emitter.safeEmit('tick', 1), true);
    assert.equal(emitter.safeEmit('tick', 2), true);
    assert.deepEqual(seen, [1, 10, 2], 'once listeners run once');
    assert.throws(() => emitter.emit('tick', 3), /bad listener/, 'plain emit() still throws');
  });

  it('safeEmit() returns false without listeners', () => {
    assert.equal(new EnhancedEventEmitter<Events>().safeEmit('tick', 1), false);
  });

  it('safeEmitAsPromise() settles with what the listener calls back', async () => {
    const emitter = new EnhancedEventEmitter<Events>();
    emitter.on('ask', (question, callback, errback) => {
      if (question === 'fail') errback(new Error('no'));
      else callback(question.length);
    });
    assert.equal(await emitter.safeEmitAsPromise('ask', 'four'), 4);
    await assert.rejects(emitter.safeEmitAsPromise('ask', 'fail'), /no/);
    await assert.rejects(
      new EnhancedEventEmitter<Events>().safeEmitAsPromise('ask', 'x'),
      /no listener/,
    );
  });

  it('close() removes every listener', () => {
    const emitter = new EnhancedEventEmitter<Events>();
    emitter.on('tick', () => undefined);
    emitter.close();
    assert.equal(emitter.listenerCount('tick'), 0);
  });
});
