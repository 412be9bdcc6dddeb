/**
 * Chrome111 handler, driven in Node by a ReplayPeerConnection that returns the
 * SDP Chromium 156 really produced (fixtures/chromium-156.json, captured by
 * scripts/capture-sdp.ts). These tests pin the SDP <-> RTP parameters
 * translation; that Chromium accepts our answers is recorded in the fixture
 * by the capture run, and real media flows are the e2e tests' job.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { Chrome111 } from './Chrome111.js';
import { CONSUMER_AUDIO, CONSUMER_VIDEO } from './testing/consumers.js';
import { codecCapabilitiesFromSdp, fakeTrack } from './testing/ReplayPeerConnection.js';
import { fixtureScenario, loadFixture, replayHandler } from './testing/replayHandler.js';

const chromium = loadFixture('chromium-156');
const offer = (name: string) => fixtureScenario(chromium, name).localSdp;

describe('Chrome111 (Chromium 156 SDP)', () => {
  it('the browser accepted every remote SDP we built during capture', () => {
    for (const [name, scenario] of Object.entries(chromium.scenarios)) {
      assert.equal(scenario.remoteSdpError, undefined, `${name}: ${scenario.remoteSdpError}`);
    }
  });

  it('send(audio) turns the offer into Opus RTP parameters with SSRC, cname and NACK', async () => {
    const { handler, pc, connects } = replayHandler(Chrome111, 'send', {
      offers: [offer('audio')],
    });
    const { localId, rtpParameters } = await handler.send({ track: fakeTrack('audio') });
    assert.equal(localId, '0');
    assert.equal(rtpParameters.mid, '0');
    assert.deepEqual(rtpParameters.codecs, [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        // Normalised by ortc (parameter ''); NACK is libwebrtc's unannounced Opus NACK.
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
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 1731416830 }]);
    assert.deepEqual(rtpParameters.rtcp, {
      cname: 'p1Rq0rjuMQ2qVtt6',
      reducedSize: true,
    });
    assert.equal(rtpParameters.msid, 'vroom-send-stream audio-track');
    // First local description: '@connect' with our DTLS client role and Chromium's fingerprint.
    assert.equal(connects.length, 1);
    const dtls = connects[0]?.dtlsParameters as {
      role: string;
      fingerprints: Array<{ algorithm: string }>;
    };
    assert.equal(dtls.role, 'client');
    assert.equal(dtls.fingerprints[0]?.algorithm, 'sha-256');
    // The answer: ICE-lite server, passive DTLS, one recvonly audio section with the router's choice.
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(pc.log.at(-1)?.type, 'answer');
    assert.equal(answer.icelite, 'ice-lite');
    assert.equal(String(answer.groups?.[0]?.mids), '0');
    const media = answer.media[0];
    assert.equal(media?.setup, 'passive');
    assert.equal(media?.direction, 'recvonly');
    assert.equal(String(media?.payloads), '111');
    assert.equal(media?.candidates?.[0]?.ip, '127.0.0.1');
    // The answer carries the router's Opus parameters (none here).
    assert.deepEqual(media?.fmtp, []);
  });

  it('codecOptions reach the answer fmtp and the producer parameters (Opus stereo, DTX, ptime; no NACK)', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('audio')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('audio'),
      codecOptions: { opusStereo: true, opusDtx: true, opusPtime: 20, opusMaxPlaybackRate: 24000 },
    });
    assert.deepEqual(rtpParameters.codecs[0]?.parameters, {
      minptime: 10,
      useinbandfec: 1,
      'sprop-stereo': 1,
      usedtx: 1,
      ptime: 20,
    });
    assert.deepEqual(rtpParameters.codecs[0]?.rtcpFeedback, [
      { type: 'transport-cc', parameter: '' },
    ]);
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(
      answer.media[0]?.fmtp[0]?.config,
      'stereo=1;usedtx=1;ptime=20;maxplaybackrate=24000',
    );
  });

  it('send(video) maps SSRC + RTX from the FID group and keeps VP8 first', async () => {
    const { handler } = replayHandler(Chrome111, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      codecOptions: { videoGoogleStartBitrate: 1000 },
    });
    assert.deepEqual(
      rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType, c.parameters]),
      [
        ['video/VP8', 96, {}],
        ['video/rtx', 97, { apt: 96 }],
      ],
    );
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 1774059862, rtx: { ssrc: 1945328157 } }]);
    assert.equal(rtpParameters.rtcp?.cname, '/bsRcTEgQtxcd60j');
    // rid/rrid are only negotiated when the offer carries RIDs: here none of them is sent.
    assert.ok(
      rtpParameters.headerExtensions?.every(
        (e) => e.uri !== 'urn:ietf:params:rtp-hdrext:toffset' || e.id === 1,
      ),
    );
  });

  it('simulcast: three RID encodings, same temporal layers (L1T3), recv simulcast in the answer', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('simulcast')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [
        { maxBitrate: 100000, scaleResolutionDownBy: 4 },
        { maxBitrate: 300000, scaleResolutionDownBy: 2 },
        { maxBitrate: 900000 },
      ],
    });
    assert.deepEqual(rtpParameters.encodings, [
      { rid: 'r0', maxBitrate: 100000, scaleResolutionDownBy: 4, scalabilityMode: 'L1T3' },
      { rid: 'r1', maxBitrate: 300000, scaleResolutionDownBy: 2, scalabilityMode: 'L1T3' },
      { rid: 'r2', maxBitrate: 900000, scalabilityMode: 'L1T3' },
    ]);
    // The transceiver got the same RIDs the offer announces.
    assert.deepEqual(
      pc.transceivers[0]?.sender.getParameters().encodings.map((e) => e.rid),
      ['r0', 'r1', 'r2'],
    );
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.deepEqual(answer.media[0]?.simulcast, { dir1: 'recv', list1: 'r0;r1;r2' });
    assert.deepEqual(
      answer.media[0]?.rids?.map((r) => `${r.id} ${r.direction}`),
      ['r0 recv', 'r1 recv', 'r2 recv'],
    );
    const uris = rtpParameters.headerExtensions?.map((e) => e.uri) ?? [];
    assert.ok(uris.includes('urn:ietf:params:rtp-hdrext:sdes:mid'));

    // setMaxSpatialLayer(0) pauses r1 and r2 in the sender and in the answer.
    await handler.setMaxSpatialLayer('0', 0);
    assert.deepEqual(
      pc.transceivers[0]?.sender.getParameters().encodings.map((e) => e.active),
      [true, false, false],
    );
    const muxed = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(muxed.media[0]?.simulcast?.list1, 'r0;~r1;~r2');
  });

  it('SVC: VP9 L3T3 chosen with the codec option, one SSRC stream carrying scalabilityMode', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('svc-vp9-l3t3')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [{ scalabilityMode: 'L3T3' }],
      codec: {
        kind: 'video',
        mimeType: 'video/VP9',
        preferredPayloadType: 103,
        clockRate: 90000,
        parameters: { 'profile-id': 0 },
      },
    });
    assert.equal(rtpParameters.codecs[0]?.mimeType, 'video/VP9');
    assert.equal(rtpParameters.codecs[0]?.payloadType, 98);
    assert.deepEqual(rtpParameters.encodings, [
      { ssrc: 3315362203, rtx: { ssrc: 3426284289 }, scalabilityMode: 'L3T3' },
    ]);
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(answer.media[0]?.payloads, '98 99');
    // The router receives the dependency descriptor, and this offer (SVC) has it: the producer sends it.
    assert.deepEqual(
      rtpParameters.headerExtensions?.find((e) => e.uri.includes('dependency-descriptor'))?.id,
      13,
    );
  });

  it('codec preferences: the chosen codec (VP9) goes first, the rest keep Chromium order', async () => {
    // RTCRtpSender.getCapabilities() answers what Chromium 156 offered in its capabilities probe.
    const rtpSender = codecCapabilitiesFromSdp(offer('caps-sendonly'));
    const { handler, pc } = replayHandler(
      Chrome111,
      'send',
      { offers: [offer('svc-vp9-l3t3')] },
      { rtpSender },
    );
    await handler.send({
      track: fakeTrack('video'),
      codec: {
        kind: 'video',
        mimeType: 'video/VP9',
        preferredPayloadType: 103,
        clockRate: 90000,
        parameters: { 'profile-id': 0 },
      },
    });
    const preferences = (pc.transceivers[0]?.codecPreferences ?? []) as RTCRtpCodec[];
    const all = rtpSender.getCapabilities('video')?.codecs ?? [];
    assert.equal(preferences.length, all.length, 'no codec is dropped');
    assert.deepEqual(
      preferences.slice(0, 3).map((c) => [c.mimeType, c.sdpFmtpLine]),
      [
        ['video/VP9', 'profile-id=0'],
        ['video/VP9', 'profile-id=2'],
        ['video/VP8', undefined],
      ],
    );
    assert.deepEqual(
      preferences.slice(2).map((c) => c.mimeType),
      all.filter((c) => c.mimeType !== 'video/VP9').map((c) => c.mimeType),
    );
    // Without a chosen codec the browser's own order stays untouched.
    const plain = replayHandler(Chrome111, 'send', { offers: [offer('video')] }, { rtpSender });
    await plain.handler.send({ track: fakeTrack('video') });
    assert.equal(plain.pc.transceivers[0]?.codecPreferences, undefined);
  });

  it('updateIceServers replaces the ICE servers and keeps the rest of the configuration', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('audio')] });
    const iceServers = [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }];
    await handler.updateIceServers(iceServers);
    assert.deepEqual(pc.configuration.iceServers, iceServers);
    assert.equal(pc.configuration.bundlePolicy, 'max-bundle');
  });

  it('sendMany: audio and video in ONE offer/answer, one result per track', async () => {
    const { handler, pc, connects } = replayHandler(Chrome111, 'send', {
      offers: [offer('audio-video')],
    });
    const results = await handler.sendMany?.([
      { track: fakeTrack('audio') },
      { track: fakeTrack('video') },
    ]);
    assert.deepEqual(
      results?.map((r) => [r.localId, r.rtpParameters.codecs[0]?.mimeType]),
      [
        ['0', 'audio/opus'],
        ['1', 'video/VP8'],
      ],
    );
    assert.deepEqual(
      pc.log.map((l) => `${l.side} ${l.type}`),
      ['local offer', 'remote answer'],
    );
    assert.equal(connects.length, 1);
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(answer.groups?.[0]?.mids, '0 1');
  });

  it('sendMany is all-or-nothing: an unknown codec stops every new transceiver', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('audio-video')] });
    await assert.rejects(
      handler.sendMany?.([
        { track: fakeTrack('audio') },
        {
          track: fakeTrack('video'),
          codec: {
            kind: 'video',
            mimeType: 'video/AV1',
            preferredPayloadType: 1,
            clockRate: 90000,
          },
        },
      ]) ?? Promise.reject(new Error('no sendMany')),
      /no codec matches video\/AV1/,
    );
    assert.ok(pc.transceivers.every((t) => t.stopped));
    assert.equal(pc.log.length, 0, 'nothing was applied');
  });

  it('stopSending keeps the BUNDLE-tagged first section alive (disabled) and closes later ones', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('audio-video')] });
    await handler.sendMany?.([{ track: fakeTrack('audio') }, { track: fakeTrack('video') }]);
    await handler.stopSending('1');
    let answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(answer.media[1]?.port, 0);
    assert.equal(String(answer.groups?.[0]?.mids), '0');
    assert.equal(pc.transceivers[1]?.stopped, true);
    await handler.stopSending('0');
    answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
    assert.equal(answer.media[0]?.port, 7);
    assert.equal(answer.media[0]?.direction, 'inactive');
    await assert.rejects(handler.pauseSending('0'), /no RTCRtpTransceiver for localId "0"/);
  });

  it('pause/resume flip the transceiver and the answer direction', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('audio')] });
    await handler.send({ track: fakeTrack('audio') });
    await handler.pauseSending('0');
    assert.equal(pc.transceivers[0]?.direction, 'inactive');
    assert.equal(sdpTransform.parse(pc.log.at(-1)?.sdp ?? '').media[0]?.direction, 'inactive');
    await handler.resumeSending('0');
    assert.equal(pc.transceivers[0]?.direction, 'sendonly');
    assert.equal(sdpTransform.parse(pc.log.at(-1)?.sdp ?? '').media[0]?.direction, 'recvonly');
  });

  it('sendDataChannel answers the m=application section with the SCTP port', async () => {
    const { handler, pc } = replayHandler(Chrome111, 'send', { offers: [offer('datachannel')] });
    const { sctpStreamParameters } = await handler.sendDataChannel({
      sctpStreamParameters: { ordered: false, maxRetransmits: 2, label: 'chat' },
    });
    assert.deepEqual(sctpStreamParameters, { streamId: 0, ordered: false, maxRetransmits: 2 });
    assert.deepEqual(pc.dataChannels[0], {
      label: 'chat',
      init: { negotiated: true, id: 0, ordered: false, maxRetransmits: 2 },
    });
    const media = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '').media[0];
    assert.equal(media?.sctpPort, 5000);
    assert.equal(media?.maxMessageSize, 262144);
    assert.equal(media?.payloads, 'webrtc-datachannel');
  });

  it('receive(): our offer, the browser answer with stereo=1 added for a stereo producer', async () => {
    const recv = chromium.scenarios['recv-answer'];
    assert.ok(recv);
    const { handler, pc, connects } = replayHandler(Chrome111, 'recv', {
      answers: [recv.localSdp],
    });
    const results = await handler.receive([
      {
        trackId: 'consumer-audio',
        kind: 'audio',
        rtpParameters: CONSUMER_AUDIO,
        streamId: 'producer-peer',
      },
      {
        trackId: 'consumer-video',
        kind: 'video',
        rtpParameters: CONSUMER_VIDEO,
        streamId: 'producer-peer',
      },
    ]);
    assert.deepEqual(
      results.map((r) => r.localId),
      ['0', '1'],
    );
    const remoteOffer = sdpTransform.parse(pc.log[0]?.sdp ?? '');
    assert.equal(pc.log[0]?.type, 'offer');
    assert.equal(remoteOffer.media[1]?.ssrcGroups?.[0]?.ssrcs, '22222222 22222223');
    assert.deepEqual(remoteOffer.media[0]?.msid, [
      { id: 'producer-peer', appdata: 'consumer-audio' },
    ]);
    assert.equal(remoteOffer.media[0]?.setup, 'actpass');
    const localAnswer = sdpTransform.parse(pc.log[1]?.sdp ?? '');
    assert.match(
      localAnswer.media[0]?.fmtp.find((f) => f.payload === 100)?.config ?? '',
      /stereo=1/,
    );
    assert.equal(connects.length, 1);

    await handler.pauseReceiving(['1']);
    assert.equal(sdpTransform.parse(pc.log.at(-2)?.sdp ?? '').media[1]?.direction, 'inactive');
    await handler.stopReceiving(['1']);
    assert.equal(sdpTransform.parse(pc.log.at(-2)?.sdp ?? '').media[1]?.port, 0);
  });

  it('receive(): a batch the browser refuses leaves nothing behind, and later consumers still work', async () => {
    const recv = chromium.scenarios['recv-answer'];
    assert.ok(recv);
    // Chromium refuses an audio m-section that offers a video codec ("Failed
    // to set remote audio description"), in this offer and every later one.
    const refuseRemote = (sdp: string) =>
      sdpTransform
        .parse(sdp)
        .media.some((m) => m.type === 'audio' && m.rtp.some((r) => r.codec === 'VP8'))
        ? 'Failed to set remote audio description'
        : undefined;
    const { handler, pc } = replayHandler(Chrome111, 'recv', {
      answers: [recv.localSdp],
      refuseRemote,
    });
    const poisoned = { ...CONSUMER_VIDEO, mid: undefined };
    await assert.rejects(
      handler.receive([
        { trackId: 'bad', kind: 'audio', rtpParameters: poisoned, streamId: 'mallory' },
      ]),
      /Failed to set remote audio description/,
    );
    const [result] = await handler.receive([
      {
        trackId: 'consumer-audio',
        kind: 'audio',
        rtpParameters: CONSUMER_AUDIO,
        streamId: 'producer-peer',
      },
    ]);
    assert.ok(result, 'the next consumer is received');
    const offer = sdpTransform.parse(pc.log[0]?.sdp ?? '');
    assert.deepEqual(
      offer.media.map((m) => m.type),
      ['audio'],
      'the refused section is gone from the next offer',
    );
  });

  it('methods of the other direction fail with a clear error', async () => {
    const { handler } = replayHandler(Chrome111, 'recv', { answers: [] });
    await assert.rejects(handler.send({ track: fakeTrack('audio') }), /needs a send transport/);
    handler.close();
    await assert.rejects(handler.receive([]), /handler is closed/);
  });
});
