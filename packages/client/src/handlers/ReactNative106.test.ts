/**
 * ReactNative106 handler over react-native-webrtc SDP assembled from public
 * sources (fixtures/react-native-webrtc-118.json lists them and what was
 * adapted). A stand-in RTCPeerConnection replays those offers because there
 * is no device in a unit test; acceptance by a real react-native-webrtc is
 * not proven by these specs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { ReactNative106 } from './ReactNative106.js';
import { fakeTrack, ReplayMediaStream } from './testing/ReplayPeerConnection.js';
import { fixtureScenario, loadFixture, replayHandler } from './testing/replayHandler.js';

const rn = loadFixture('react-native-webrtc-118');
const offer = (name: string) => fixtureScenario(rn, name).localSdp;

describe('ReactNative106 (react-native-webrtc SDP from public sources)', () => {
  it('send(audio): Opus with hidden NACK added (libwebrtc), cname and SSRC', async () => {
    const { handler } = replayHandler(ReactNative106, 'send', { offers: [offer('audio')] });
    const { rtpParameters } = await handler.send({ track: fakeTrack('audio') });
    assert.deepEqual(rtpParameters.codecs[0]?.rtcpFeedback, [
      { type: 'transport-cc', parameter: '' },
      { type: 'nack', parameter: '' },
    ]);
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 1369722455 }]);
    assert.equal(rtpParameters.rtcp?.cname, 'tY7uB2nQ9wLk4Xe1');
  });

  it('send(video): VP8 96 + RTX 97, video-orientation and toffset kept with their ids', async () => {
    const { handler } = replayHandler(ReactNative106, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({ track: fakeTrack('video') });
    assert.deepEqual(
      rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType]),
      [
        ['video/VP8', 96],
        ['video/rtx', 97],
      ],
    );
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 2051337794, rtx: { ssrc: 3805194125 } }]);
    const ids = new Map(rtpParameters.headerExtensions?.map((e) => [e.uri, e.id]));
    assert.equal(ids.get('urn:3gpp:video-orientation'), 13);
    assert.equal(ids.get('urn:ietf:params:rtp-hdrext:toffset'), 14);
    assert.equal(ids.get('urn:ietf:params:rtp-hdrext:sdes:mid'), 4);
  });

  it('simulcast with RIDs (Chrome74 behaviour): r0..r2, L1T3, receive simulcast in the answer', async () => {
    const { handler, pc } = replayHandler(ReactNative106, 'send', {
      offers: [offer('simulcast')],
    });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [{ maxBitrate: 150000 }, { maxBitrate: 500000 }, { maxBitrate: 1200000 }],
    });
    assert.deepEqual(rtpParameters.encodings, [
      { maxBitrate: 150000, rid: 'r0', scalabilityMode: 'L1T3' },
      { maxBitrate: 500000, rid: 'r1', scalabilityMode: 'L1T3' },
      { maxBitrate: 1200000, rid: 'r2', scalabilityMode: 'L1T3' },
    ]);
    const ids = new Map(rtpParameters.headerExtensions?.map((e) => [e.uri, e.id]));
    assert.equal(ids.get('urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id'), 10);
    assert.equal(ids.get('urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id'), 11);
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '').media[0];
    assert.deepEqual(answer?.simulcast, { dir1: 'recv', list1: 'r0;r1;r2' });
  });

  it('sendMany and the data channel answer', async () => {
    const av = replayHandler(ReactNative106, 'send', { offers: [offer('audio-video')] });
    const results = await av.handler.sendMany?.([
      { track: fakeTrack('audio') },
      { track: fakeTrack('video') },
    ]);
    assert.deepEqual(
      results?.map((r) => r.rtpParameters.codecs[0]?.mimeType),
      ['audio/opus', 'video/VP8'],
    );
    const dc = replayHandler(ReactNative106, 'send', { offers: [offer('datachannel')] });
    await dc.handler.sendDataChannel({ sctpStreamParameters: {} });
    assert.equal(sdpTransform.parse(dc.pc.log.at(-1)?.sdp ?? '').media[0]?.sctpPort, 5000);
  });

  it('close() releases the native send stream but not the app tracks (release(false))', () => {
    const { handler } = replayHandler(ReactNative106, 'send', { offers: [offer('audio')] });
    const stream = ReplayMediaStream.instances.at(-1);
    assert.deepEqual(stream?.releases, []);
    handler.close();
    assert.deepEqual(stream?.releases, [false]);
    // A second close() must not release the native stream twice.
    handler.close();
    assert.deepEqual(stream?.releases, [false]);
  });
});
