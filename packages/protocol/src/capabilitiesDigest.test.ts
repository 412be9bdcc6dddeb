import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rtpCapabilitiesDigest } from './capabilitiesDigest.js';

const capabilities = {
  codecs: [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      preferredPayloadType: 100,
      parameters: { useinbandfec: 1, minptime: 10 },
      rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
    },
    {
      kind: 'video',
      mimeType: 'video/VP8',
      clockRate: 90000,
      preferredPayloadType: 101,
      parameters: {},
      rtcpFeedback: [{ type: 'nack', parameter: '' }],
    },
  ],
  headerExtensions: [
    {
      kind: 'video',
      uri: 'urn:ietf:params:rtp-hdrext:sdes:mid',
      preferredId: 1,
      direction: 'sendrecv',
    },
  ],
};

/** The same data with every object's keys in reverse order (as another JSON writer may send it). */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reversedKeys(item)]),
    );
  }
  return value;
}

describe('rtpCapabilitiesDigest', () => {
  it('is 16 hex characters, the same for the same capabilities in any key order', () => {
    const digest = rtpCapabilitiesDigest(capabilities);
    assert.match(digest ?? '', /^[0-9a-f]{16}$/);
    assert.equal(rtpCapabilitiesDigest(reversedKeys(capabilities)), digest);
    assert.equal(rtpCapabilitiesDigest(JSON.parse(JSON.stringify(capabilities))), digest);
  });

  it('ignores fields the protocol does not carry (the other end never sees them)', () => {
    const extra = { ...capabilities, fecMechanisms: ['x'] };
    assert.equal(rtpCapabilitiesDigest(extra), rtpCapabilitiesDigest(capabilities));
  });

  it('changes with anything that matters: a codec fewer, another payload type, a parameter', () => {
    const digest = rtpCapabilitiesDigest(capabilities);
    const fewer = { ...capabilities, codecs: capabilities.codecs.slice(0, 1) };
    const [opus, vp8] = capabilities.codecs;
    const payload = { ...capabilities, codecs: [opus, { ...vp8, preferredPayloadType: 102 }] };
    const parameter = {
      ...capabilities,
      codecs: [{ ...opus, parameters: { useinbandfec: 0, minptime: 10 } }, vp8],
    };
    for (const other of [fewer, payload, parameter]) {
      assert.notEqual(rtpCapabilitiesDigest(other), digest);
    }
  });

  it('is undefined for something that is not RTP capabilities', () => {
    assert.equal(rtpCapabilitiesDigest('codecs'), undefined);
    assert.equal(rtpCapabilitiesDigest({ codecs: 'VP8' }), undefined);
  });
});
