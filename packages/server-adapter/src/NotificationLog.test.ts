import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationLog } from './NotificationLog.js';

describe('NotificationLog', () => {
  it('numbers from 1 and answers what came after lastSeq, in order', () => {
    const log = new NotificationLog(10);
    for (const method of ['a', 'b', 'c']) log.append(method, {});
    assert.deepEqual(
      log.after(1)?.map((e) => [e.seq, e.method]),
      [
        [2, 'b'],
        [3, 'c'],
      ],
    );
    assert.deepEqual(log.after(3), []);
  });

  it('cannot answer a client further behind than it reaches, or ahead of it', () => {
    const log = new NotificationLog(2);
    for (const method of ['a', 'b', 'c', 'd']) log.append(method, {});
    assert.equal(log.after(1), undefined, 'seq 2 was dropped: the client would miss it');
    assert.deepEqual(
      log.after(2)?.map((e) => e.seq),
      [3, 4],
    );
    assert.equal(log.after(5), undefined, 'a number never sent');
  });

  it('keeps numbering after clear(), and answers only from there', () => {
    const log = new NotificationLog(10);
    log.append('a', {});
    log.clear();
    assert.equal(log.append('b', {}).seq, 2);
    assert.equal(log.after(0), undefined);
    assert.deepEqual(
      log.after(1)?.map((e) => e.method),
      ['b'],
    );
  });
});
