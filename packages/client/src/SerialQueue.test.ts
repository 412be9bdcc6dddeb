import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialQueue } from './SerialQueue.js';

const stopped = (name: string) => new Error(`stopped: ${name}`);

describe('SerialQueue', () => {
  it('runs tasks one at a time in push order, each settling its own promise', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.push(task('a'), 'a'),
      queue.push(task('b', true), 'b'),
      queue.push(task('c'), 'c'),
    ]);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      ['a', 'b', 'c'],
    );
  });

  it('stop() rejects the running and the waiting tasks, never starts the waiting ones, and refuses later pushes', async () => {
    const queue = new SerialQueue();
    let release!: () => void;
    const started: string[] = [];
    const running = queue.push(async () => {
      started.push('running');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'late';
    }, 'running');
    const waiting = queue.push(async () => {
      started.push('waiting');
    }, 'waiting');
    await new Promise((resolve) => setImmediate(resolve));
    queue.stop(stopped);
    await assert.rejects(running, /stopped: running/);
    await assert.rejects(waiting, /stopped: waiting/);
    release();
    await assert.rejects(
      queue.push(async () => undefined, 'after'),
      /stopped: after/,
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, ['running']);
  });
});
