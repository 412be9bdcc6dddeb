import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '@vroom/protocol';
import { toProtocolError } from './errors.js';

describe('toProtocolError', () => {
  it('gives a worker refusal without a reason a message (mediasoup 3.8.4 sends some empty)', () => {
    const error = toProtocolError(new Error(' [method:transport.produceData]'));
    assert.equal(error.code, ErrorCode.Internal);
    assert.match(error.message, /gave no reason \[method:transport\.produceData\]/);
    assert.match(toProtocolError(new Error('')).message, /gave no reason/);
  });

  it('maps port and descriptor exhaustion to SERVER_FULL', () => {
    for (const text of [
      'no more available ports [transport:udp]',
      'uv_udp_init_ex() failed: too many open files',
    ]) {
      assert.equal(toProtocolError(new Error(text)).code, ErrorCode.ServerFull, text);
    }
  });
});
