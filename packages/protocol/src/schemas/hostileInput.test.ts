import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../errors.js';
import { clientRequests, serverRequests } from '../methods.js';
import { validateRequest } from '../validate.js';
import { PROTOCOL_VERSION } from '../version.js';
import { MAX_APP_DATA_BYTES, MAX_APP_DATA_DEPTH } from './appData.js';

// Inputs a hostile raw WebSocket client sent to the example server (issue 11),
// each accepted before these schemas refused it.

const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const vp8 = { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 };
const rtx = { mimeType: 'video/rtx', payloadType: 102, clockRate: 90000, parameters: { apt: 101 } };

function produce(overrides: Record<string, unknown>, encodings: unknown[] = [{ ssrc: 1111 }]) {
  return validateRequest(clientRequests, 'produce', {
    transportId: 't',
    kind: 'video',
    rtpParameters: { codecs: [vp8, rtx], encodings },
    ...overrides,
  });
}

function refused(result: { ok: boolean; error?: { code: string; message: string } }, why: RegExp) {
  assert.equal(result.ok, false, 'accepted');
  assert.equal(result.error?.code, ErrorCode.InvalidData);
  assert.match(result.error?.message ?? '', why);
}

/** `{ a: { a: { ... } } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

const join = (appData: unknown) =>
  validateRequest(clientRequests, 'join', {
    protocolVersion: PROTOCOL_VERSION,
    roomId: 'r',
    displayName: 'd',
    device: { name: 'x' },
    appData,
  });

describe('appData is bounded in depth and size (F2)', () => {
  it('takes small, shallow app data', () => {
    assert.equal(
      join({ role: 'guest', tags: ['a'], deep: nested(MAX_APP_DATA_DEPTH - 1) }).ok,
      true,
    );
    assert.equal(join({ blob: 'x'.repeat(MAX_APP_DATA_BYTES - 20) }).ok, true);
  });

  it('refuses 10,000 levels of nesting (JSON.stringify would overflow writing it)', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(10_000)}{}${'}'.repeat(10_000)}`);
    refused(join(deep), /appData is nested deeper than 8 levels/);
    refused(join(nested(MAX_APP_DATA_DEPTH + 1)), /nested deeper/);
  });

  it('refuses 127 KB flat (it would be echoed to every later joiner)', () => {
    refused(join({ blob: 'x'.repeat(127 * 1024) }), /appData is \d+ bytes of JSON/);
    refused(join({ blob: 'é'.repeat(MAX_APP_DATA_BYTES / 2) }), /bytes of JSON/);
  });

  it('bounds every message that carries app data', () => {
    const big = { blob: 'x'.repeat(MAX_APP_DATA_BYTES) };
    refused(produce({ appData: big }), /appData/);
    refused(
      validateRequest(clientRequests, 'produceData', {
        transportId: 't',
        sctpStreamParameters: { streamId: 1 },
        appData: nested(50),
      }),
      /appData/,
    );
  });
});

describe('a producer whose kind does not match its codecs is refused (F1)', () => {
  it('audio with VP8, video with Opus', () => {
    refused(produce({ kind: 'audio' }), /codec "video\/VP8" is not audio/);
    refused(
      produce({ kind: 'video', rtpParameters: { codecs: [opus], encodings: [{ ssrc: 1 }] } }),
      /codec "audio\/opus" is not video/,
    );
    assert.equal(produce({}).ok, true);
    assert.equal(
      produce({ kind: 'audio', rtpParameters: { codecs: [opus], encodings: [{ ssrc: 1 }] } }).ok,
      true,
    );
  });

  it('a newConsumer of mixed kinds is refused by the client too', () => {
    const result = validateRequest(serverRequests, 'newConsumer', {
      peerId: 'p',
      producerId: 'q',
      id: 'c',
      kind: 'audio',
      rtpParameters: { codecs: [vp8], encodings: [{ ssrc: 1 }] },
      type: 'simple',
      producerPaused: false,
      appData: {},
    });
    refused(result, /not audio/);
  });
});

describe('RTP encodings', () => {
  it('ssrc is a 32-bit unsigned integer', () => {
    for (const ssrc of [1e300, 2 ** 32, -1, 1.5]) refused(produce({}, [{ ssrc }]), /ssrc/);
    assert.equal(produce({}, [{ ssrc: 2 ** 32 - 1 }]).ok, true);
    refused(produce({}, [{ ssrc: 5, rtx: { ssrc: 2 ** 32 } }]), /rtx\.ssrc/);
  });

  it('an RTX SSRC equal to the media SSRC, or an SSRC used twice, is INVALID_DATA', () => {
    refused(produce({}, [{ ssrc: 7, rtx: { ssrc: 7 } }]), /RTX SSRC must differ/);
    refused(produce({}, [{ ssrc: 7 }, { ssrc: 8, rtx: { ssrc: 7 } }]), /every SSRC/);
  });

  it('scalabilityMode is one of the known modes', () => {
    for (const mode of ['L1T1', 'L1T3', 'L3T3_KEY', 'L2T2h', 'S3T3', 'S2T1h', 'L3T3_KEY_SHIFT']) {
      assert.equal(produce({}, [{ ssrc: 1, scalabilityMode: mode }]).ok, true, mode);
    }
    for (const mode of ['L99T99', 'garbage', 'L0T1', 'S1T1_KEY', 'l1t1', '']) {
      refused(produce({}, [{ ssrc: 1, scalabilityMode: mode }]), /scalability mode/);
    }
  });
});

describe('DTLS fingerprints', () => {
  const connect = (algorithm: string, value: string) =>
    validateRequest(clientRequests, 'connectWebRtcTransport', {
      transportId: 't',
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm, value }] },
    });
  const hex = (bytes: number) => Array.from({ length: bytes }, () => 'aB').join(':');

  it('are colon-separated hex pairs, as many as the algorithm has bytes', () => {
    assert.equal(connect('sha-256', hex(32)).ok, true);
    assert.equal(connect('sha-1', hex(20)).ok, true);
    assert.equal(connect('sha-512', hex(64)).ok, true);
    refused(connect('sha-256', 'zz'), /fingerprint value/);
    refused(connect('sha-256', hex(31)), /fingerprint value/);
    refused(connect('sha-256', hex(20)), /fingerprint value/);
    refused(connect('sha-256', `${hex(31)}:zz`), /fingerprint value/);
    refused(connect('rot13', hex(32)), /algorithm/);
  });
});

describe('data is an object', () => {
  it('`data: []` is refused, whatever the method', () => {
    refused(validateRequest(clientRequests, 'ping', []), /must be a JSON object/);
    refused(validateRequest(clientRequests, 'leave', []), /must be a JSON object/);
  });
});
