import type { RtpCapabilities, RtpParameters } from '@vroom/protocol';

// Hand-written objects shaped like what a Chromium peer running a
// mediasoup-client-style library sends (ids and payload types from a real
// unified-plan offer), so the real worker is exercised with realistic input.

export const dtlsParameters = {
  role: 'client' as const,
  fingerprints: [
    {
      algorithm: 'sha-256',
      value:
        '82:5A:68:3D:36:C3:0A:DE:AF:E7:32:43:D2:88:83:57:AC:2D:65:E5:80:C4:B6:FB:AF:1A:A0:21:9F:6D:0C:AD',
    },
  ],
};

/** Chromium's feedback for video codecs. */
const videoFeedback = [
  { type: 'goog-remb', parameter: '' },
  { type: 'transport-cc', parameter: '' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'nack', parameter: '' },
  { type: 'nack', parameter: 'pli' },
];

export const sctpCapabilities = { numStreams: { OS: 1024, MIS: 1024 } };

/** What `device.rtpCapabilities` holds on Chromium against a default room. */
export const deviceRtpCapabilities: RtpCapabilities = {
  codecs: [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 },
      rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
    },
    {
      kind: 'video',
      mimeType: 'video/VP8',
      preferredPayloadType: 101,
      clockRate: 90000,
      rtcpFeedback: videoFeedback,
    },
    {
      kind: 'video',
      mimeType: 'video/rtx',
      preferredPayloadType: 102,
      clockRate: 90000,
      parameters: { apt: 101 },
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [
    { kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1 },
    { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1 },
    {
      kind: 'audio',
      uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      preferredId: 4,
    },
    {
      kind: 'video',
      uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      preferredId: 4,
    },
    {
      kind: 'video',
      uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      preferredId: 5,
    },
    { kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', preferredId: 10 },
    { kind: 'video', uri: 'urn:3gpp:video-orientation', preferredId: 11 },
    { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:toffset', preferredId: 12 },
  ],
};

/** A device that only does audio (e.g. a SIP gateway): it cannot consume video. */
export const audioOnlyRtpCapabilities: RtpCapabilities = {
  codecs: deviceRtpCapabilities.codecs?.filter((codec) => codec.kind === 'audio') ?? [],
  headerExtensions:
    deviceRtpCapabilities.headerExtensions?.filter((ext) => ext.kind === 'audio') ?? [],
};

/** Each call gets distinct SSRCs, as two browsers would pick. */
let nextSsrc = 11_111_111;
function ssrc(): number {
  nextSsrc += 1000;
  return nextSsrc;
}

export function opusParameters(mid = '0'): RtpParameters {
  return {
    mid,
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1, usedtx: 1 },
        rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
      },
    ],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 1 },
      { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 2 },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
    ],
    encodings: [{ ssrc: ssrc(), dtx: true }],
    rtcp: { cname: 'Bn9hX0VrFqVqDBjt', reducedSize: true },
  };
}

const vp8Codecs: RtpParameters['codecs'] = [
  {
    mimeType: 'video/VP8',
    payloadType: 96,
    clockRate: 90000,
    rtcpFeedback: videoFeedback,
  },
  { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
];

/** One VP8 stream with its RTX stream, signalled by SSRC. */
export function vp8Parameters(mid = '1'): RtpParameters {
  const media = ssrc();
  return {
    mid,
    codecs: vp8Codecs,
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:toffset', id: 14 },
      { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 2 },
      { uri: 'urn:3gpp:video-orientation', id: 13 },
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: 3 },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
    ],
    encodings: [{ ssrc: media, rtx: { ssrc: media + 1 } }],
    rtcp: { cname: 'Bn9hX0VrFqVqDBjt', reducedSize: true },
  };
}

/** Three simulcast VP8 layers as Chromium sends them: by RID, low to high. */
export function simulcastVp8Parameters(mid = '2'): RtpParameters {
  return {
    mid,
    codecs: vp8Codecs,
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id', id: 10 },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id', id: 11 },
      { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 2 },
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: 3 },
    ],
    encodings: [
      { rid: 'r0', scalabilityMode: 'L1T3', scaleResolutionDownBy: 4, maxBitrate: 100_000 },
      { rid: 'r1', scalabilityMode: 'L1T3', scaleResolutionDownBy: 2, maxBitrate: 300_000 },
      { rid: 'r2', scalabilityMode: 'L1T3', scaleResolutionDownBy: 1, maxBitrate: 900_000 },
    ],
    rtcp: { cname: 'Bn9hX0VrFqVqDBjt', reducedSize: true },
  };
}
