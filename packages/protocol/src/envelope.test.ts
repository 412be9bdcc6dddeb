import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from './envelope.js';
import { ErrorCode } from './errors.js';

describe('parseMessage', () => {
  it('reads the three envelopes', () => {
    assert.deepEqual(parseMessage('{"id":1,"method":"ping","data":{}}'), {
      ok: true,
      message: { kind: 'request', id: 1, method: 'ping', data: {} },
    });
    assert.deepEqual(parseMessage('{"id":1,"ok":true,"data":{"a":1}}'), {
      ok: true,
      message: { kind: 'response', id: 1, ok: true, data: { a: 1 } },
    });
    assert.deepEqual(parseMessage('{"method":"peerLeft","data":{"peerId":"p"}}'), {
      ok: true,
      message: { kind: 'notification', method: 'peerLeft', data: { peerId: 'p' } },
    });
    assert.deepEqual(
      parseMessage('{"id":7,"ok":false,"error":{"code":"NOT_FOUND","message":"no"}}'),
      {
        ok: true,
        message: {
          kind: 'response',
          id: 7,
          ok: false,
          error: { code: 'NOT_FOUND', message: 'no' },
        },
      },
    );
  });

  it('accepts UTF-8 bytes as well as text', () => {
    const bytes = new TextEncoder().encode('{"method":"x","data":null}');
    const result = parseMessage(bytes);
    assert.equal(result.ok && result.message.kind, 'notification');
    assert.equal(parseMessage(bytes.buffer).ok, true);
  });

  const bad: Array<[string, string | Uint8Array, ErrorCode, number | null]> = [
    ['not JSON', '{oops', ErrorCode.BadMessage, null],
    ['a JSON array', '[1,2]', ErrorCode.BadMessage, null],
    ['a JSON string', '"hello"', ErrorCode.BadMessage, null],
    ['null', 'null', ErrorCode.BadMessage, null],
    ['invalid UTF-8 bytes', new Uint8Array([0xff, 0xfe, 0x00]), ErrorCode.BadMessage, null],
    ['a negative id', '{"id":-1,"method":"x"}', ErrorCode.BadMessage, null],
    ['a fractional seq', '{"method":"x","seq":1.5}', ErrorCode.BadMessage, null],
    ['a string id', '{"id":"1","method":"x"}', ErrorCode.BadMessage, null],
    ['an empty method (id kept)', '{"id":4,"method":""}', ErrorCode.BadMessage, 4],
    ['a numeric method', '{"id":5,"method":5}', ErrorCode.BadMessage, 5],
    [
      'an error response with an unknown code',
      '{"id":2,"ok":false,"error":{"code":"X","message":""}}',
      ErrorCode.BadMessage,
      2,
    ],
    ['an object of no known shape', '{"hello":1}', ErrorCode.BadMessage, null],
  ];
  for (const [what, raw, code, id] of bad) {
    it(`refuses ${what} with ${code}`, () => {
      const result = parseMessage(raw);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.code, code);
        assert.equal(result.id, id);
      }
    });
  }

  it('refuses messages over the size limit, in text and in bytes', () => {
    const big = JSON.stringify({ method: 'x', data: 'a'.repeat(2000) });
    const text = parseMessage(big, 1000);
    assert.equal(!text.ok && text.error.code, ErrorCode.MessageTooLarge);
    const bytes = parseMessage(new TextEncoder().encode(big), 1000);
    assert.equal(!bytes.ok && bytes.error.code, ErrorCode.MessageTooLarge);
    // Multi-byte characters count as bytes, not as UTF-16 units.
    const wide = JSON.stringify({ method: 'x', data: '€'.repeat(400) });
    assert.ok(wide.length < 1000);
    const measured = parseMessage(wide, 1000);
    assert.equal(!measured.ok && measured.error.code, ErrorCode.MessageTooLarge);
  });

  it('never throws, whatever the bytes', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(random() % 64);
      for (let j = 0; j < bytes.length; j++) bytes[j] = random() & 0xff;
      assert.doesNotThrow(() => parseMessage(bytes));
      assert.doesNotThrow(() => parseMessage(String.fromCharCode(...bytes)));
    }
  });
});

describe('parseMessage and lone surrogates', () => {
  // Found by the protocol fuzzer: a lone surrogate in a consumer's RTP
  // capabilities reached mediasoup's worker, which dropped the request
  // unanswered; the peer's queue then waited 15 s for the channel timeout.
  it('refuses a lone surrogate in a value or a key, escaped or raw, answering the id', () => {
    for (const text of [
      '{"id":3,"method":"join","data":{"a":"\\ud800"}}',
      '{"id":3,"method":"join","data":{"a":["ok","x\\udfffy"]}}',
      '{"id":3,"method":"join","data":{"\\ud83d":1}}',
      `{"id":3,"method":"join","data":{"a":"\ud800"}}`,
    ]) {
      const result = parseMessage(text);
      assert.equal(result.ok, false, text);
      if (result.ok) continue;
      assert.equal(result.error.code, ErrorCode.BadMessage);
      assert.match(result.error.message, /lone UTF-16 surrogate/);
      assert.equal(result.id, 3);
    }
  });

  it('accepts surrogate pairs, escaped or not', () => {
    for (const text of [
      '{"id":3,"method":"join","data":{"a":"\\ud83d\\ude00"}}',
      '{"id":3,"method":"join","data":{"a":"😀"}}',
    ]) {
      assert.equal(parseMessage(text).ok, true, text);
    }
  });
});
