/**
 * Chrome74 handler (Chrome 74-110: RID simulcast, no scalabilityMode),
 * replaying SDP that Chromium 156 really produced (fixtures/chromium-156.json).
 * A stand-in RTCPeerConnection replays captured SDP because there is no
 * browser in a unit test; real browsers are covered by the e2e tests. The
 * capture is from a newer Chromium, whose offers for these cases have the same
 * shape as Chrome 74-110's (RIDs in a=simulcast, SSRC + FID for one stream).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { Chrome74 } from './Chrome74.js';
import { fakeTrack } from './testing/ReplayPeerConnection.js';
import { loadFixture, replayHandler } from './testing/replayHandler.js';

const chromium = loadFixture('chromium-156');
const offer = (name: string) => chromium.scenarios[name]?.localSdp ?? '';
const VP9 = {
  kind: 'video' as const,
  mimeType: 'video/VP9',
  preferredPayloadType: 103,
  clockRate: 90000,
  parameters: { 'profile-id': 0 },
};

describe('Chrome74 (Chromium SDP)', () => {
  it('simulcast: RIDs r0..r2 given to the transceiver without scalabilityMode, L1T3 told to mediasoup', async () => {
    const { handler, pc } = replayHandler(Chrome74, 'send', { offers: [offer('simulcast')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [{ maxBitrate: 100000 }, { maxBitrate: 300000 }, { maxBitrate: 900000 }],
    });
    assert.deepEqual(pc.transceivers[0]?.sender.getParameters().encodings, [
      { maxBitrate: 100000, rid: 'r0' },
      { maxBitrate: 300000, rid: 'r1' },
      { maxBitrate: 900000, rid: 'r2' },
    ]);
    assert.deepEqual(rtpParameters.encodings, [
      { maxBitrate: 100000, rid: 'r0', scalabilityMode: 'L1T3' },
      { maxBitrate: 300000, rid: 'r1', scalabilityMode: 'L1T3' },
      { maxBitrate: 900000, rid: 'r2', scalabilityMode: 'L1T3' },
    ]);
    const answer = sdpTransform.parse(pc.log.at(-1)?.sdp ?? '').media[0];
    assert.deepEqual(answer?.simulcast, { dir1: 'recv', list1: 'r0;r1;r2' });
  });

  it('simulcast with an asked temporal count: L1T2 on every stream', async () => {
    const { handler } = replayHandler(Chrome74, 'send', { offers: [offer('simulcast')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [{ scalabilityMode: 'L1T2' }, {}, {}],
    });
    assert.deepEqual(
      rtpParameters.encodings?.map((e) => e.scalabilityMode),
      ['L1T2', 'L1T3', 'L1T3'],
    );
  });

  it('VP9 SVC (L3T3) the legacy way: three SSRCs in a SIM group for libwebrtc, one stream for mediasoup', async () => {
    const { handler, pc } = replayHandler(Chrome74, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [{ scalabilityMode: 'L3T3' }],
      codec: VP9,
    });
    assert.deepEqual(
      rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType]),
      [
        ['video/VP9', 98],
        ['video/rtx', 99],
      ],
    );
    assert.deepEqual(rtpParameters.encodings, [
      { scalabilityMode: 'L3T3', ssrc: 1774059862, rtx: { ssrc: 1945328157 } },
    ]);
    const local = sdpTransform.parse(pc.log[0]?.sdp ?? '').media[0];
    assert.deepEqual(local?.ssrcGroups?.[0], {
      semantics: 'SIM',
      ssrcs: '1774059862 1774059863 1774059864',
    });
    assert.equal(sdpTransform.parse(pc.log.at(-1)?.sdp ?? '').media[0]?.payloads, '98 99');
  });

  it('VP8 with one L3T3 encoding is not SVC: the offer keeps its single SSRC', async () => {
    const { handler, pc } = replayHandler(Chrome74, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({
      track: fakeTrack('video'),
      encodings: [{ scalabilityMode: 'L1T3' }],
    });
    assert.equal(rtpParameters.encodings?.length, 1);
    const local = sdpTransform.parse(pc.log[0]?.sdp ?? '').media[0];
    assert.deepEqual(
      local?.ssrcGroups?.map((g) => g.semantics),
      ['FID'],
    );
  });

  it('no dependency-descriptor probe: Chrome74 asks for plain audio and video transceivers', () => {
    const added: Array<[string, RTCRtpTransceiverInit]> = [];
    const pc = {
      addTransceiver: (kind: string, init: RTCRtpTransceiverInit) => {
        added.push([kind, init]);
        return {} as RTCRtpTransceiver;
      },
    } as unknown as RTCPeerConnection;
    Chrome74.addProbeTransceivers(pc, 'sendonly');
    assert.deepEqual(added, [
      ['audio', { direction: 'sendonly' }],
      ['video', { direction: 'sendonly' }],
    ]);
  });
});
