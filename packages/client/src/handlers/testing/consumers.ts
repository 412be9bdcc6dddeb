import type { RtpParameters } from '../../RtpParameters.js';

/** Consumer RTP parameters as a mediasoup 3.8 router gives them (used by capture and tests). */
export const CONSUMER_AUDIO: RtpParameters = {
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1, 'sprop-stereo': 1 },
      rtcpFeedback: [{ type: 'transport-cc' }],
    },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 },
    { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 4 },
    { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 10 },
  ],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'producercname', reducedSize: true },
};

export const CONSUMER_VIDEO: RtpParameters = {
  mid: '1',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 101,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [
        { type: 'nack' },
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
        { type: 'goog-remb' },
        { type: 'transport-cc' },
      ],
    },
    {
      mimeType: 'video/rtx',
      payloadType: 102,
      clockRate: 90000,
      parameters: { apt: 101 },
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 },
    { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 4 },
    { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: 5 },
    { uri: 'urn:3gpp:video-orientation', id: 11 },
  ],
  encodings: [{ ssrc: 22222222, rtx: { ssrc: 22222223 } }],
  rtcp: { cname: 'producercname', reducedSize: true },
};
