/**
 * Firefox120 handler, driven in Node by a ReplayPeerConnection that returns the
 * SDP Firefox ESR 153 really produced (fixtures/firefox-153.json, captured by
 * scripts/capture-sdp.ts). A stand-in RTCPeerConnection replays captured SDP
 * because there is no browser in a unit test; that Firefox accepts our
 * answers is recorded in the fixture by the capture run, and real Firefox
 * sessions against the real worker are the e2e tests' job.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { UnsupportedError } from '../errors.js';
import { Chrome111 } from './Chrome111.js';
import { Firefox120 } from './Firefox120.js';
import { CONSUMER_AUDIO, CONSUMER_VIDEO } from './testing/consumers.js';
import { fakeTrack } from './testing/ReplayPeerConnection.js';
import { fixtureScenario, loadFixture, replayHandler } from './testing/replayHandler.js';

const firefox = loadFixture('firefox-153');
const offer = (name: string) => fixtureScenario(firefox, name).localSdp;
const lastRemote = (pc: { log: Array<{ sdp: string }> }) =>
  sdpTransform.parse(pc.log.at(-1)?.sdp ?? '');
const VIDEO_FEEDBACK = [
  { type: 'nack', parameter: '' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb', parameter: '' },
  { type: 'transport-cc', parameter: '' },
];

describe('Firefox120 (Firefox 153 SDP)', () => {
  it('the browser accepted every remote SDP we built during capture', () => {
    assert.match(firefox.userAgent, /Firefox\/153/);
    for (const [name, scenario] of Object.entries(firefox.scenarios)) {
      assert.equal(scenario.remoteSdpError, undefined, `${name}: ${scenario.remoteSdpError}`);
    }
  });

  it('send(audio): Opus as Firefox offers it, with no hidden NACK added, no rtcp-rsize', async () => {
    const { handler, connects } = replayHandler(Firefox120, 'send', { offers: [offer('audio')] });
    const { localId, rtpParameters } = await handler.send({ track: fakeTrack('audio') });
    assert.equal(localId, '0');
    assert.equal(rtpParameters.mid, '0');
    assert.deepEqual(rtpParameters.codecs, [
      {
        mimeType: 'audio/opus',
        payloadType: 109,
        clockRate: 48000,
        channels: 2,
        parameters: { maxplaybackrate: 48000, stereo: 1, useinbandfec: 1 },
        // Chrome111 would add { type: 'nack' } here: libwebrtc NACKs Opus silently, Firefox does not.
        rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
      },
    ]);
    assert.deepEqual(
      rtpParameters.headerExtensions?.map((e) => [e.uri, e.id]),
      [
        ['urn:ietf:params:rtp-hdrext:sdes:mid', 3],
        ['urn:ietf:params:rtp-hdrext:ssrc-audio-level', 1],
      ],
    );
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 3018374804 }]);
    // Firefox's audio m-section has no a=rtcp-rsize.
    assert.deepEqual(rtpParameters.rtcp, {
      cname: '{dc632607-ff48-47a7-807d-9ef0c3034ae7}',
      reducedSize: false,
    });
    const dtls = connects[0]?.dtlsParameters;
    assert.equal(dtls?.role, 'client');
    assert.deepEqual(dtls?.fingerprints, [
      {
        algorithm: 'sha-256',
        value:
          '2A:64:4D:1B:5E:B2:28:A6:2F:40:29:79:64:05:28:AF:60:FF:35:60:C6:A0:DD:E3:5D:09:EB:C7:BE:44:D4:63',
      },
    ]);
  });

  it('native capabilities: Opus keeps only transport-cc (Chrome111 adds NACK to the same caps)', () => {
    const firefoxCaps = { codecs: [opusCapability()], headerExtensions: [] };
    Firefox120.adjustNativeCapabilities(firefoxCaps);
    assert.deepEqual(firefoxCaps.codecs[0]?.rtcpFeedback, [{ type: 'transport-cc' }]);
    const chromeCaps = { codecs: [opusCapability()], headerExtensions: [] };
    Chrome111.adjustNativeCapabilities(chromeCaps);
    assert.deepEqual(chromeCaps.codecs[0]?.rtcpFeedback, [
      { type: 'transport-cc' },
      { type: 'nack' },
    ]);
  });

  it('send(video): VP8 + RTX from the FID group, toffset/abs-send-time/transport-cc kept', async () => {
    const { handler, pc } = replayHandler(Firefox120, 'send', { offers: [offer('video')] });
    const { rtpParameters } = await handler.send({ track: fakeTrack('video') });
    assert.deepEqual(rtpParameters.codecs, [
      {
        mimeType: 'video/VP8',
        payloadType: 120,
        clockRate: 90000,
        parameters: { 'max-fs': 12288, 'max-fr': 60 },
        rtcpFeedback: VIDEO_FEEDBACK,
      },
      {
        mimeType: 'video/rtx',
        payloadType: 124,
        clockRate: 90000,
        parameters: { apt: 120 },
        rtcpFeedback: [],
      },
    ]);
    assert.deepEqual(rtpParameters.encodings, [{ ssrc: 2896359529, rtx: { ssrc: 1818640026 } }]);
    assert.deepEqual(rtpParameters.rtcp, {
      cname: '{21cb2cd8-d0ae-484c-bb73-c7746e4ba9cc}',
      reducedSize: true,
    });
    // No RIDs offered: rid/rrid are not negotiated for a single-stream producer.
    assert.deepEqual(
      rtpParameters.headerExtensions?.map((e) => [e.uri, e.id]),
      [
        ['urn:ietf:params:rtp-hdrext:sdes:mid', 3],
        ['http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', 4],
        ['http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', 7],
        ['urn:ietf:params:rtp-hdrext:toffset', 5],
      ],
    );
    const media = lastRemote(pc).media[0];
    assert.equal(media?.payloads, '120 124');
    assert.equal(media?.setup, 'passive');
  });

  it('simulcast: Firefox sends r0;r1;r2 (lowest first), the answer receives them in the same order', async () => {
    const { handler, pc } = replayHandler(Firefox120, 'send', { offers: [offer('simulcast')] });
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
    // The RID offer carries rid/rrid (sendonly in Firefox's offer): the producer uses them.
    const ids = new Map(rtpParameters.headerExtensions?.map((e) => [e.uri, e.id]));
    assert.equal(ids.get('urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id'), 9);
    assert.equal(ids.get('urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id'), 10);
    const media = lastRemote(pc).media[0];
    assert.deepEqual(media?.simulcast, { dir1: 'recv', list1: 'r0;r1;r2' });
    assert.deepEqual(
      media?.rids?.map((r) => `${r.id} ${r.direction}`),
      ['r0 recv', 'r1 recv', 'r2 recv'],
    );
    await handler.setMaxSpatialLayer('0', 1);
    assert.equal(lastRemote(pc).media[0]?.simulcast?.list1, 'r0;r1;~r2');
  });

  it('DTLS: Firefox connects as DTLS client even when the server says it is the client', async () => {
    const firefoxRun = replayHandler(
      Firefox120,
      'send',
      { offers: [offer('audio')] },
      { serverDtlsRole: 'client' },
    );
    await firefoxRun.handler.send({ track: fakeTrack('audio') });
    assert.equal(firefoxRun.connects[0]?.dtlsParameters.role, 'client');
    assert.equal(lastRemote(firefoxRun.pc).media[0]?.setup, 'passive');
    // A libwebrtc handler follows the server's fixed role instead.
    const chromeRun = replayHandler(
      Chrome111,
      'send',
      { offers: [offer('audio')] },
      { serverDtlsRole: 'client' },
    );
    await chromeRun.handler.send({ track: fakeTrack('audio') });
    assert.equal(chromeRun.connects[0]?.dtlsParameters.role, 'server');
    assert.equal(lastRemote(chromeRun.pc).media[0]?.setup, 'active');
  });

  it('stopSending disables the m-section (never closes it) and keeps the transceiver', async () => {
    const { handler, pc } = replayHandler(Firefox120, 'send', { offers: [offer('audio-video')] });
    const results = await handler.sendMany?.([
      { track: fakeTrack('audio') },
      { track: fakeTrack('video') },
    ]);
    assert.deepEqual(
      results?.map((r) => r.localId),
      ['0', '1'],
    );
    // Firefox's second section is bundle-only (port 0 in the offer): the answer still accepts it.
    assert.equal(lastRemote(pc).media[1]?.port, 7);
    await handler.stopSending('1');
    const answer = lastRemote(pc);
    assert.equal(answer.media[1]?.port, 7);
    assert.equal(answer.media[1]?.direction, 'inactive');
    assert.equal(answer.groups?.[0]?.mids, '0 1');
    assert.equal(pc.transceivers[1]?.stopped, false);
    assert.equal(pc.transceivers[1]?.sender.track, null);
    await assert.rejects(handler.pauseSending('1'), /no RTCRtpTransceiver for localId "1"/);
  });

  it('sendDataChannel answers Firefox m=application with our SCTP port and max message size', async () => {
    const { handler, pc, connects } = replayHandler(Firefox120, 'send', {
      offers: [offer('datachannel')],
    });
    const { sctpStreamParameters } = await handler.sendDataChannel({
      sctpStreamParameters: { ordered: true, label: 'chat', protocol: 'json' },
    });
    assert.deepEqual(sctpStreamParameters, { streamId: 0, ordered: true });
    assert.deepEqual(pc.dataChannels[0], {
      label: 'chat',
      init: { negotiated: true, id: 0, ordered: true, protocol: 'json' },
    });
    const media = lastRemote(pc).media[0];
    assert.equal(media?.type, 'application');
    assert.equal(media?.protocol, 'UDP/DTLS/SCTP');
    assert.equal(media?.payloads, 'webrtc-datachannel');
    assert.equal(media?.sctpPort, 5000);
    assert.equal(media?.maxMessageSize, 262144);
    assert.equal(connects.length, 1);
    // A second channel takes the next stream id and needs no new negotiation.
    const logLength = pc.log.length;
    const second = await handler.sendDataChannel({ sctpStreamParameters: {} });
    assert.equal(second.sctpStreamParameters.streamId, 1);
    assert.equal(pc.log.length, logLength);
  });

  it('receive(): Firefox answers our offer (DTLS active), stereo=1 kept for the stereo producer', async () => {
    const recv = firefox.scenarios['recv-answer'];
    assert.ok(recv);
    const { handler, pc, connects } = replayHandler(Firefox120, 'recv', {
      answers: [recv.localSdp],
    });
    const results = await handler.receive([
      { trackId: 'consumer-audio', kind: 'audio', rtpParameters: CONSUMER_AUDIO },
      { trackId: 'consumer-video', kind: 'video', rtpParameters: CONSUMER_VIDEO },
    ]);
    assert.deepEqual(
      results.map((r) => [r.localId, r.track.kind]),
      [
        ['0', 'audio'],
        ['1', 'video'],
      ],
    );
    const remoteOffer = sdpTransform.parse(pc.log[0]?.sdp ?? '');
    // Without a streamId the producer's cname groups the tracks.
    assert.deepEqual(remoteOffer.media[0]?.msid, [
      { id: 'producercname', appdata: 'consumer-audio' },
    ]);
    const localAnswer = sdpTransform.parse(pc.log[1]?.sdp ?? '');
    assert.equal(
      localAnswer.media[0]?.fmtp.find((f) => f.payload === 100)?.config,
      'maxplaybackrate=48000;stereo=1;useinbandfec=1',
    );
    assert.equal(connects[0]?.dtlsParameters.role, 'client');
  });

  it('updateIceServers is not supported (Firefox has no setConfiguration), as in mediasoup-client', async () => {
    const { handler, pc } = replayHandler(Firefox120, 'send', { offers: [offer('audio')] });
    await assert.rejects(
      handler.updateIceServers([{ urls: 'turn:turn.example.org' }]),
      (error: unknown) =>
        error instanceof UnsupportedError && /create a new transport/.test(error.message),
    );
    assert.deepEqual(pc.configuration.iceServers, []);
    handler.close();
    await assert.rejects(handler.updateIceServers([]), /handler is closed/);
  });
});

function opusCapability() {
  return {
    kind: 'audio' as const,
    mimeType: 'audio/opus',
    preferredPayloadType: 109,
    clockRate: 48000,
    channels: 2,
    parameters: {},
    rtcpFeedback: [{ type: 'transport-cc' }],
  };
}
