import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventEmitter } from './EventEmitter.js';

type Events = { tick: [number]; error: [Error] };

// Node's EventEmitter API, which mediasoup-client's emitters expose.

describe('EventEmitter', () => {
  it('calls listeners in order, prepended ones first, once ones a single time', () => {
    const emitter = new EventEmitter<Events>();
    const seen: string[] = [];
    emitter.on('tick', (n) => seen.push(`on ${n}`));
    emitter.once('tick', (n) => seen.push(`once ${n}`));
    emitter.prependListener('tick', (n) => seen.push(`first ${n}`));
    emitter.prependOnceListener('tick', (n) => seen.push(`first once ${n}`));
    assert.equal(emitter.emit('tick', 1), true);
    assert.equal(emitter.emit('tick', 2), true);
    assert.deepEqual(seen, ['first once 1', 'first 1', 'on 1', 'once 1', 'first 2', 'on 2']);
    assert.equal(emitter.listenerCount('tick'), 2);
  });

  it('off() removes the latest registration of a listener, once wrappers included', () => {
    const emitter = new EventEmitter<Events>();
    const seen: number[] = [];
    const listener = (n: number) => seen.push(n);
    emitter.on('tick', listener);
    emitter.once('tick', listener);
    assert.deepEqual(emitter.listeners('tick'), [listener, listener]);
    emitter.off('tick', listener);
    emitter.emit('tick', 1);
    assert.deepEqual(seen, [1]);
    emitter.removeListener('tick', listener);
    assert.equal(emitter.emit('tick', 2), false);
    assert.deepEqual(emitter.eventNames(), []);
  });

  it('a listener added or removed during an emit takes effect from the next emit', () => {
    const emitter = new EventEmitter<Events>();
    const seen: string[] = [];
    const late = () => seen.push('late');
    emitter.on('tick', () => {
      seen.push('first');
      emitter.on('tick', late);
    });
    emitter.emit('tick', 1);
    assert.deepEqual(seen, ['first']);
  });

  it('emitting error with no listener throws it; with a listener it is delivered', () => {
    const emitter = new EventEmitter<Events>();
    assert.throws(() => emitter.emit('error', new Error('boom')), /boom/);
    let got: Error | undefined;
    emitter.on('error', (error) => {
      got = error;
    });
    emitter.emit('error', new Error('handled'));
    assert.equal(got?.message, 'handled');
  });

  it('refuses a listener that is not a function; removeAllListeners() drops one event or all', () => {
    const emitter = new EventEmitter<Events>();
    assert.throws(() => emitter.on('tick', 'nope' as unknown as () => void), TypeError);
    emitter.on('tick', () => undefined);
    emitter.on('error', () => undefined);
    emitter.removeAllListeners('tick');
    assert.deepEqual(emitter.eventNames(), ['error']);
    emitter.removeAllListeners();
    assert.deepEqual(emitter.eventNames(), []);
    assert.equal(emitter.setMaxListeners(0).getMaxListeners(), 0);
  });
});
