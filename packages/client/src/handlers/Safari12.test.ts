/**
 * Safari12 handler over Safari 18 SDP assembled from public sources
 * (fixtures/safari-18.json says where each part came from and what was
 * adapted): no Safari runs here, so a stand-in RTCPeerConnection replays
 * those offers because there is no browser in a unit test. These specs pin
 * what the handler makes of WebKit-shaped SDP; whether a real Safari accepts
 * our answers is not proven by them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { Safari12 } from './Safari12.js';
import { CONSUMER_AUDIO, CONSUMER_VIDEO } from './testing/consumers.js';
import { fakeTrack } from './testing/ReplayPeerConnection.js';
import { fixtureScenario, loadFixture, replayHandler } from './testing/replayHandler.js';

const safari = loadFixture('safari-18');
const offer = (name: string) => fixtureScenario(safari, name).localSdp;
const H264 = {
  kind: 'video' as const,
  mimeType: 'video/H264',
  preferredPayloadType: 105,
  clockRate: 90000,
  parameters: {
    'packetization-mode': 1,
    'level-asymmetry-allowed': 1,
    'profile-level-id': '42e01f',
  },
};

describe('Safari12 (Safari 18 SDP from public sources)', () => {
  it('the fixture names its public sources and what was adapted', () => {
    const meta = safari as unknown as { sources: Array<{ url: string }>; adapted: string[] };
    assert.ok(meta.sources.length >= 2);
    assert.ok(meta.sources.every((s) => s.url.startsWith('https://')));
    assert.ok(meta.adapted.length > 0);
  });

  it('send(audio): Opus with libwebrtc hidden NACK, transport-cc, one SSRC, no rtcp-rsize', async () => {
    const { handler, connects } = replayHandler(Safari12, 'send', { offers: [offer('audio')] });
    const { rtpParameters } = await handler.send({ track: fakeTrack('audio') });
    assert.deepEqual(rtpParameters.codecs, [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [
          { type: 'transport-cc', parameter: '' },
          { type: 'nack', parameter: '' },
        ],
      },
    ]);
    assert.deepEqual(
      rtpParameters.headerExtensions?.map((e) => [e.uri, e.id]),
      [
        ['urn:ietf:params:rtp-hdrext:sdes:mid', 4],
        ['http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', 2],
        ['urn:ietf:params:rtp-hdrext:ssrc-audio-level', 1],
      ],
    );
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 2840119575 }]);
    assert.deepEqual(rtpParameters.rtcp, {
      cname: 'hJ3rT6vNw9qLp2Xc',
      reducedSize: false,
    });
    assert.equal(connects[0]?.dtlsParameters.role, 'client');
  });

  it('send(video): Safari lists H264 first, but the router order picks VP8 (pt 106) with RTX', async () => {
    const { handler, pc } = replayHandler(Safari12, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({ track: fakeTrack('video') });
    assert.deepEqual(
      rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType, c.parameters]),
      [
        ['video/VP8', 106, {}],
        ['video/rtx', 107, { apt: 106 }],
      ],
    );
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 3551029384, rtx: { ssrc: 1207348815 } }]);
    assert.equal(lastAnswer(pc).media[0]?.payloads, '106 107');
  });

  it('H264 chosen: Constrained Baseline 42e01f packetization-mode 1 (pt 100), not High 640c1f', async () => {
    const { handler, pc } = replayHandler(Safari12, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({ track: fakeTrack('video'), codec: H264 });
    assert.deepEqual(
      rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType]),
      [
        ['video/H264', 100],
        ['video/rtx', 101],
      ],
    );
    assert.equal(rtpParameters.codecs[0]?.parameters?.['profile-level-id'], '42e01f');
    assert.equal(rtpParameters.codecs[0]?.parameters?.['packetization-mode'], 1);
    const answer = lastAnswer(pc).media[0];
    assert.equal(answer?.payloads, '100 101');
  });

  it('simulcast the legacy way: no sendEncodings, three SSRC + RTX pairs in a SIM group', async () => {
    const { handler, pc } = replayHandler(Safari12, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [
        { maxBitrate: 100000, scaleResolutionDownBy: 4 },
        { maxBitrate: 300000, scaleResolutionDownBy: 2 },
        { maxBitrate: 900000 },
      ],
    });
    assert.deepEqual(pc.transceivers[0]?.sender.getParameters().encodings, [{}]);
    assert.deepEqual(rtpParameters.encodings, [
      { maxBitrate: 100000, scaleResolutionDownBy: 4, ssrc: 3551029384, rtx: { ssrc: 1207348815 } },
      { maxBitrate: 300000, scaleResolutionDownBy: 2, ssrc: 3551029385, rtx: { ssrc: 1207348816 } },
      { maxBitrate: 900000, ssrc: 3551029386, rtx: { ssrc: 1207348817 } },
    ]);
    const local = sdpTransform.parse(pc.log[0]?.sdp ?? '').media[0];
    assert.deepEqual(local?.ssrcGroups, [
      { semantics: 'SIM', ssrcs: '3551029384 3551029385 3551029386' },
      { semantics: 'FID', ssrcs: '3551029384 1207348815' },
      { semantics: 'FID', ssrcs: '3551029385 1207348816' },
      { semantics: 'FID', ssrcs: '3551029386 1207348817' },
    ]);
    assert.equal(lastAnswer(pc).media[0]?.simulcast, undefined);
  });

  it('audio + video in one negotiation; session-level extmap-allow-mixed is mirrored', async () => {
    const { handler, pc } = replayHandler(Safari12, 'send', { offers: [offer('audio-video')] });
    const results = await handler.sendMany?.([
      { track: fakeTrack('audio') },
      { track: fakeTrack('video') },
    ]);
    assert.deepEqual(
      results?.map((r) => [r.localId, r.rtpParameters.mid]),
      [
        ['0', '0'],
        ['1', '1'],
      ],
    );
    const answer = lastAnswer(pc);
    assert.equal(answer.extmapAllowMixed, 'extmap-allow-mixed');
    assert.equal(answer.groups?.[0]?.mids, '0 1');
  });

  it('data channel: answers sctp-port 5000 with ours', async () => {
    const { handler, pc } = replayHandler(Safari12, 'send', { offers: [offer('datachannel')] });
    await handler.sendDataChannel({ sctpStreamParameters: { ordered: true } });
    const media = lastAnswer(pc).media[0];
    assert.equal(media?.sctpPort, 5000);
    assert.equal(media?.maxMessageSize, 262144);
  });

  it('receive(): stereo=1 is added to a Safari answer that lacks it', async () => {
    const { handler, pc } = replayHandler(Safari12, 'recv', { answers: [offer('recv-answer')] });
    await handler.receive([
      { trackId: 'consumer-audio', kind: 'audio', rtpParameters: CONSUMER_AUDIO },
      { trackId: 'consumer-video', kind: 'video', rtpParameters: CONSUMER_VIDEO },
    ]);
    const answer = sdpTransform.parse(pc.log[1]?.sdp ?? '');
    assert.equal(
      answer.media[0]?.fmtp.find((f) => f.payload === 100)?.config,
      'minptime=10;useinbandfec=1;stereo=1',
    );
  });
});

function lastAnswer(pc: { log: Array<{ sdp: string }> }) {
  return sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
}
