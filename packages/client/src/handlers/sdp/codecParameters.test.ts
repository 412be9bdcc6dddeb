/**
 * Codec options (mediasoup-client's ProducerCodecOptions) and the stereo fix
 * of a receiving answer. Pure data in, data out: no SDP is negotiated here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MediaDescription } from 'sdp-transform';
import type { RtpParameters } from '../../RtpParameters.js';
import { applyCodecOptions, applyCodecParameters } from './codecParameters.js';

const opus = (): RtpParameters => ({
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 },
      rtcpFeedback: [{ type: 'transport-cc' }, { type: 'nack' }],
    },
  ],
});
const vp8 = (): RtpParameters => ({
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
    },
    { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
  ],
});

describe('applyCodecOptions', () => {
  it('Opus stereo/FEC/DTX/ptime/maxPlaybackRate/maxAverageBitrate: answer gets the receiver wishes, producer the stream facts', () => {
    const sending = opus();
    const answer = opus();
    applyCodecOptions(sending, answer, {
      opusStereo: true,
      opusFec: false,
      opusDtx: true,
      opusPtime: 40,
      opusMaxPlaybackRate: 16000,
      opusMaxAverageBitrate: 32000,
    });
    assert.deepEqual(answer.codecs[0]?.parameters, {
      minptime: 10,
      useinbandfec: 0,
      stereo: 1,
      usedtx: 1,
      ptime: 40,
      maxplaybackrate: 16000,
      maxaveragebitrate: 32000,
    });
    assert.deepEqual(sending.codecs[0]?.parameters, {
      minptime: 10,
      useinbandfec: 0,
      'sprop-stereo': 1,
      usedtx: 1,
      ptime: 40,
    });
  });

  it('Opus NACK is removed from both sides unless opusNack is set', () => {
    const sending = opus();
    const answer = opus();
    applyCodecOptions(sending, answer, { opusStereo: false });
    assert.deepEqual(sending.codecs[0]?.rtcpFeedback, [{ type: 'transport-cc' }]);
    assert.deepEqual(answer.codecs[0]?.rtcpFeedback, [{ type: 'transport-cc' }]);
    assert.equal(answer.codecs[0]?.parameters?.stereo, 0);
    assert.equal(sending.codecs[0]?.parameters?.['sprop-stereo'], 0);

    const keptSending = opus();
    const keptAnswer = opus();
    applyCodecOptions(keptSending, keptAnswer, { opusNack: true });
    assert.deepEqual(keptSending.codecs[0]?.rtcpFeedback, [
      { type: 'transport-cc' },
      { type: 'nack' },
    ]);
  });

  it('Google start/min/max bitrate go to the video answer only, never to RTX or the producer', () => {
    const sending = vp8();
    const answer = vp8();
    applyCodecOptions(sending, answer, {
      videoGoogleStartBitrate: 1000,
      videoGoogleMinBitrate: 300,
      videoGoogleMaxBitrate: 3000,
    });
    assert.deepEqual(answer.codecs[0]?.parameters, {
      'x-google-start-bitrate': 1000,
      'x-google-max-bitrate': 3000,
      'x-google-min-bitrate': 300,
    });
    assert.deepEqual(answer.codecs[1]?.parameters, { apt: 96 });
    assert.deepEqual(sending.codecs[0]?.parameters, {});
    // Video NACK is not Opus NACK: it stays.
    assert.equal(answer.codecs[0]?.rtcpFeedback?.length, 2);
  });

  it('no options: nothing changes (libwebrtc Opus NACK stays)', () => {
    const sending = opus();
    const answer = opus();
    applyCodecOptions(sending, answer, undefined);
    assert.deepEqual(sending, opus());
    assert.deepEqual(answer, opus());
  });
});

describe('applyCodecParameters', () => {
  const answerMedia = (fmtp: MediaDescription['fmtp']): MediaDescription => ({
    type: 'audio',
    port: 9,
    protocol: 'UDP/TLS/RTP/SAVPF',
    payloads: '100',
    rtp: [{ payload: 100, codec: 'opus', rate: 48000, encoding: 2 }],
    fmtp,
  });
  const consumer = (spropStereo: number | undefined): RtpParameters => ({
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 100,
        clockRate: 48000,
        channels: 2,
        parameters: spropStereo === undefined ? {} : { 'sprop-stereo': spropStereo },
      },
    ],
  });

  it('a stereo producer makes the local answer say stereo=1 (kept with the other params)', () => {
    const media = answerMedia([{ payload: 100, config: 'minptime=10;useinbandfec=1' }]);
    applyCodecParameters(consumer(1), media);
    assert.deepEqual(media.fmtp, [{ payload: 100, config: 'minptime=10;useinbandfec=1;stereo=1' }]);
  });

  it('adds an fmtp line when the browser wrote none; sprop-stereo=0 says stereo=0', () => {
    const media = answerMedia([]);
    applyCodecParameters(consumer(0), media);
    assert.deepEqual(media.fmtp, [{ payload: 100, config: 'stereo=0' }]);
  });

  it('leaves the answer alone without sprop-stereo', () => {
    const media = answerMedia([{ payload: 100, config: 'useinbandfec=1' }]);
    applyCodecParameters(consumer(undefined), media);
    assert.deepEqual(media.fmtp, [{ payload: 100, config: 'useinbandfec=1' }]);
  });
});
