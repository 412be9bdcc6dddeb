import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { RACE_AFTER_MS, WebSocketChannel, type WebSocketEventLike } from './WebSocketChannel.js';

/**
 * A scripted WebSocket class: the channel's own logic (open, text and binary
 * messages, closes) is specified here; a real socket (`ws`) is used by the
 * end-to-end tests.
 */
class ScriptedSocket {
  static last: ScriptedSocket | undefined;
  static all: ScriptedSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  readonly sent: string[] = [];
  readonly url: string;
  closedWith: [number | undefined, string | undefined] | undefined;
  readonly #listeners = new Map<string, ((event: WebSocketEventLike) => void)[]>();

  constructor(url: string) {
    this.url = url;
    ScriptedSocket.last = this;
    ScriptedSocket.all.push(this);
  }

  addEventListener(type: string, listener: (event: WebSocketEventLike) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
  }

  fire(type: string, event: WebSocketEventLike = {}): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}

function socket(): ScriptedSocket {
  const last = ScriptedSocket.last;
  if (!last) throw new Error('no socket yet');
  return last;
}

describe('WebSocketChannel', () => {
  it('opens, sends, receives text and binary frames as text', async () => {
    const channel = new WebSocketChannel('ws://example.test/ws', { WebSocket: ScriptedSocket });
    const received: string[] = [];
    channel.onmessage = (text) => received.push(text);
    const opening = channel.open();
    assert.throws(() => channel.send('too early'), /not open/);
    socket().fire('open');
    await opening;
    assert.equal(socket().binaryType, 'arraybuffer');
    channel.send('{"id":1}');
    assert.deepEqual(socket().sent, ['{"id":1}']);
    socket().fire('message', { data: 'text' });
    socket().fire('message', { data: new TextEncoder().encode('bytes').buffer });
    socket().fire('message', { data: { weird: true } });
    assert.deepEqual(received, ['text', 'bytes']);
  });

  it('reports a close by the other side once, with its code and reason', async () => {
    const channel = new WebSocketChannel('ws://example.test/ws', { WebSocket: ScriptedSocket });
    const closes: string[] = [];
    channel.onclose = (why) => closes.push(why);
    const opening = channel.open();
    socket().fire('open');
    await opening;
    socket().fire('close', { code: 1001, reason: 'server closed' });
    socket().fire('close', { code: 1001 });
    assert.deepEqual(closes, ['code 1001, server closed']);
  });

  it('rejects open() when the socket never opens', async () => {
    const channel = new WebSocketChannel('ws://example.test/ws', { WebSocket: ScriptedSocket });
    const opening = channel.open();
    socket().fire('error');
    socket().fire('close', { code: 1006 });
    await assert.rejects(opening, /did not open \(code 1006\)/);
  });

  it('close() asked by the room closes the socket without calling onclose', async () => {
    const channel = new WebSocketChannel('ws://example.test/ws', { WebSocket: ScriptedSocket });
    let closes = 0;
    channel.onclose = () => closes++;
    const opening = channel.open();
    socket().fire('open');
    await opening;
    channel.close();
    socket().fire('close', { code: 1000 });
    assert.deepEqual(socket().closedWith, [1000, 'client closed']);
    assert.equal(closes, 0);
    await assert.rejects(channel.open(), /create a new channel per connection/);
  });
  describe(`a connection not open after ${RACE_AFTER_MS} ms (a lost SYN waits a second for the kernel)`, () => {
    function opening() {
      mock.timers.enable({ apis: ['setTimeout'] });
      ScriptedSocket.all = [];
      const channel = new WebSocketChannel('ws://example.test/ws', { WebSocket: ScriptedSocket });
      const received: string[] = [];
      channel.onmessage = (text) => received.push(text);
      const open = channel.open();
      return { channel, open, received };
    }

    it('races a second socket; the first to open wins, the other is closed', async (t) => {
      t.after(() => mock.timers.reset());
      const { channel, open, received } = opening();
      mock.timers.tick(RACE_AFTER_MS - 1);
      assert.equal(ScriptedSocket.all.length, 1, 'no race before its time');
      mock.timers.tick(1);
      const [first, second] = ScriptedSocket.all;
      assert.ok(first && second, 'a second socket');
      second.fire('open');
      await open;
      assert.deepEqual(first.closedWith, [1000, 'another attempt opened first']);
      first.fire('open'); // too late: ignored
      first.fire('message', { data: 'from the loser' });
      second.fire('message', { data: 'from the winner' });
      assert.deepEqual(received, ['from the winner']);
      channel.send('hello');
      assert.deepEqual(second.sent, ['hello']);
      assert.deepEqual(first.sent, []);
    });

    it('rejects only when both have failed', async (t) => {
      t.after(() => mock.timers.reset());
      const { open } = opening();
      mock.timers.tick(RACE_AFTER_MS);
      const [first, second] = ScriptedSocket.all;
      first?.fire('close', { code: 1006 });
      let rejected = false;
      open.catch(() => {
        rejected = true;
      });
      await Promise.resolve();
      assert.equal(rejected, false, 'the second may still open');
      second?.fire('close', { code: 1006 });
      await assert.rejects(open, /did not open/);
    });

    it('a socket that fails at once (no network) rejects at once, with no race', async (t) => {
      t.after(() => mock.timers.reset());
      const { open } = opening();
      ScriptedSocket.all[0]?.fire('close', { code: 1006 });
      await assert.rejects(open, /did not open/);
      mock.timers.tick(RACE_AFTER_MS);
      assert.equal(ScriptedSocket.all.length, 1);
    });

    it('close() while opening closes every socket and stops the race', async (t) => {
      t.after(() => mock.timers.reset());
      const { channel, open } = opening();
      mock.timers.tick(RACE_AFTER_MS);
      channel.close();
      for (const socket of ScriptedSocket.all) {
        assert.deepEqual(socket.closedWith, [1000, 'client closed']);
        socket.fire('close', { code: 1000 });
      }
      await assert.rejects(open, /did not open/);
    });
  });
});
