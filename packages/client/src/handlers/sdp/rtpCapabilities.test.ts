/**
 * Reading native RTP capabilities from a browser's own offer. The inputs are
 * the capability probes Chromium 156 and Firefox 153 really produced
 * (fixtures/, captured by scripts/capture-sdp.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import type { RtpCapabilities } from '../../RtpParameters.js';
import { loadFixture } from '../testing/replayHandler.js';
import {
  addNackSupportForOpus,
  extractRtpCapabilities,
  parseCodecParameters,
} from './rtpCapabilities.js';

const caps = (fixture: string) =>
  extractRtpCapabilities(
    sdpTransform.parse(loadFixture(fixture).scenarios['caps-sendonly']?.localSdp ?? ''),
  );

describe('extractRtpCapabilities', () => {
  it('Chromium 156: Opus with its fmtp and transport-cc, one entry per payload type', () => {
    const { codecs = [] } = caps('chromium-156');
    assert.deepEqual(codecs[0], {
      kind: 'audio',
      mimeType: 'audio/opus',
      preferredPayloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 },
      rtcpFeedback: [{ type: 'transport-cc' }],
    });
    const payloadTypes = codecs.map((c) => c.preferredPayloadType);
    assert.equal(new Set(payloadTypes).size, payloadTypes.length);
    // Mono audio codecs say channels: 1.
    assert.equal(codecs.find((c) => c.mimeType === 'audio/PCMU')?.channels, 1);
  });

  it('Chromium 156: video feedback per codec, RTX with apt, H264 profile-level-id kept as hex text', () => {
    const { codecs = [] } = caps('chromium-156');
    const vp8 = codecs.find((c) => c.mimeType === 'video/VP8');
    assert.deepEqual(vp8?.rtcpFeedback, [
      { type: 'goog-remb' },
      { type: 'transport-cc' },
      { type: 'ccm', parameter: 'fir' },
      { type: 'nack' },
      { type: 'nack', parameter: 'pli' },
    ]);
    const rtx = codecs.find((c) => c.preferredPayloadType === 97);
    assert.deepEqual(rtx, {
      kind: 'video',
      mimeType: 'video/rtx',
      preferredPayloadType: 97,
      clockRate: 90000,
      parameters: { apt: 96 },
      rtcpFeedback: [],
    });
    const h264 = codecs.find((c) => c.preferredPayloadType === 102);
    assert.deepEqual(h264?.parameters, {
      'level-asymmetry-allowed': 1,
      'packetization-mode': 1,
      'profile-level-id': '42001f',
    });
    const vp9 = codecs.filter((c) => c.mimeType === 'video/VP9').map((c) => c.parameters);
    assert.deepEqual(vp9, [{ 'profile-id': 0 }, { 'profile-id': 2 }]);
  });

  it('header extensions are per kind, with the browser ids', () => {
    const { headerExtensions = [] } = caps('chromium-156');
    const mid = headerExtensions.filter((e) => e.uri === 'urn:ietf:params:rtp-hdrext:sdes:mid');
    assert.deepEqual(
      mid.map((e) => [e.kind, e.preferredId]),
      [
        ['audio', 4],
        ['video', 4],
      ],
    );
    assert.ok(
      headerExtensions.some((e) => e.kind === 'audio' && e.uri.endsWith('ssrc-audio-level')),
    );
  });

  it('Firefox 153: wildcard-free feedback, Opus without NACK, AV1 and ulpfec listed', () => {
    const { codecs = [] } = caps('firefox-153');
    const opus = codecs.find((c) => c.mimeType === 'audio/opus');
    assert.deepEqual(opus?.rtcpFeedback, [{ type: 'transport-cc' }]);
    assert.deepEqual(opus?.parameters, { maxplaybackrate: 48000, stereo: 1, useinbandfec: 1 });
    assert.ok(codecs.some((c) => c.mimeType === 'video/AV1'));
    assert.ok(codecs.some((c) => c.mimeType === 'video/ulpfec'));
  });

  it('a=rtcp-fb:* applies to every media codec of the section but not to RTX', () => {
    const sdp = sdpTransform.parse(
      [
        'v=0',
        'o=- 1 1 IN IP4 0.0.0.0',
        's=-',
        't=0 0',
        'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
        'a=rtpmap:96 VP8/90000',
        'a=rtpmap:97 rtx/90000',
        'a=fmtp:97 apt=96',
        'a=rtcp-fb:* nack',
        'a=extmap:3/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:3gpp:video-orientation',
        '',
      ].join('\r\n'),
    );
    const { codecs = [], headerExtensions = [] } = extractRtpCapabilities(sdp);
    assert.deepEqual(
      codecs.map((c) => [c.mimeType, c.rtcpFeedback]),
      [
        ['video/VP8', [{ type: 'nack' }]],
        ['video/rtx', []],
      ],
    );
    // Encrypted header extensions (RFC 6904) are left out.
    assert.deepEqual(headerExtensions, []);
  });
});

describe('parseCodecParameters', () => {
  it('numbers become numbers, H264 profile-level-id stays text even when all digits', () => {
    assert.deepEqual(
      parseCodecParameters(
        'packetization-mode=1;profile-level-id=420032;level-asymmetry-allowed=1',
      ),
      { 'packetization-mode': 1, 'profile-level-id': '420032', 'level-asymmetry-allowed': 1 },
    );
    assert.deepEqual(parseCodecParameters('profile-level-id=42e01f'), {
      'profile-level-id': '42e01f',
    });
    assert.deepEqual(parseCodecParameters(''), {});
  });
});

describe('addNackSupportForOpus', () => {
  it('adds generic NACK to Opus once, leaves other codecs alone', () => {
    const capabilities: RtpCapabilities = {
      codecs: [
        {
          kind: 'audio' as const,
          mimeType: 'audio/opus',
          preferredPayloadType: 111,
          clockRate: 48000,
          rtcpFeedback: [{ type: 'nack', parameter: 'pli' }],
        },
        {
          kind: 'audio' as const,
          mimeType: 'audio/PCMU',
          preferredPayloadType: 0,
          clockRate: 8000,
        },
      ],
    };
    addNackSupportForOpus(capabilities);
    addNackSupportForOpus(capabilities);
    assert.deepEqual(capabilities.codecs?.[0]?.rtcpFeedback, [
      { type: 'nack', parameter: 'pli' },
      { type: 'nack' },
    ]);
    assert.equal(capabilities.codecs?.[1]?.rtcpFeedback, undefined);
  });
});
