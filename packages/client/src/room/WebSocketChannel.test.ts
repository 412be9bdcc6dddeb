import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocketChannel, type WebSocketEventLike } from './WebSocketChannel.js';

/**
 * A scripted WebSocket class: the channel's own logic (open, text and binary
 * messages, closes) is specified here; a real socket (`ws`) is used by the
 * end-to-end tests.
 */
class ScriptedSocket {
  static last: ScriptedSocket | undefined;
  readyState = 0;
  binaryType = 'blob';
  readonly sent: string[] = [];
  readonly url: string;
  closedWith: [number | undefined, string | undefined] | undefined;
  readonly #listeners = new Map<string, ((event: WebSocketEventLike) => void)[]>();

  constructor(url: string) {
    this.url = url;
    ScriptedSocket.last = this;
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
    assert.deepEqual(socket().closedWith, [4000, 'dropped by the client']);
    assert.equal(closes, 0);
    await assert.rejects(channel.open(), /create a new channel per connection/);
  });
});
