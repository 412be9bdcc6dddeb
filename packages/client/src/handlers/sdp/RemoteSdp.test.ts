/**
 * RemoteSdp: the SDP a mediasoup transport would write. These specs check
 * the description we hand to the browser, field by field; the browsers'
 * acceptance of it is recorded by the capture runs (fixtures/) and the e2e
 * tests. Local offers here are the real Chromium 156 captures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MediaDescription } from 'sdp-transform';
import * as sdpTransform from 'sdp-transform';
import { CONSUMER_AUDIO, CONSUMER_VIDEO } from '../testing/consumers.js';
import { loadFixture, REMOTE_TRANSPORT } from '../testing/replayHandler.js';
import { RemoteSdp } from './RemoteSdp.js';

const chromium = loadFixture('chromium-156');
const offerMedia = (scenario: string, index = 0): MediaDescription => {
  const media = sdpTransform.parse(chromium.scenarios[scenario]?.localSdp ?? '').media[index];
  if (!media) throw new Error(`no m-section ${index} in ${scenario}`);
  return media;
};
const AUDIO_ANSWER = {
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: { useinbandfec: 1 },
      rtcpFeedback: [{ type: 'transport-cc' }],
    },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
    { uri: 'urn:3gpp:video-orientation', id: 13 },
  ],
};
const remote = () => new RemoteSdp(REMOTE_TRANSPORT);
const parse = (sdp: RemoteSdp) => sdpTransform.parse(sdp.getSdp());
const receiveAudio = (sdp: RemoteSdp, mid: string) =>
  sdp.receive({
    mid,
    kind: 'audio',
    offerRtpParameters: { ...CONSUMER_AUDIO, mid },
    streamId: 'peer',
    trackId: `track-${mid}`,
  });

describe('RemoteSdp', () => {
  it('session: ICE-lite, the server fingerprint at session level, an empty BUNDLE at first', () => {
    const session = parse(remote());
    assert.equal(session.icelite, 'ice-lite');
    assert.deepEqual(session.fingerprint, { type: 'sha-256', hash: 'AA:BB:CC' });
    assert.deepEqual(session.groups, [{ type: 'BUNDLE', mids: '' }]);
    assert.deepEqual(session.media, []);
  });

  it('every m-section repeats ICE credentials, the server candidates and end-of-candidates', () => {
    const sdp = remote();
    sdp.send({ offerMedia: offerMedia('audio'), offerIndex: 0, answerRtpParameters: AUDIO_ANSWER });
    const media = parse(sdp).media[0];
    assert.equal(media?.iceUfrag, 'srvufrag');
    assert.equal(media?.icePwd, 'srvpassword');
    assert.deepEqual(media?.candidates, [
      {
        foundation: 'udpcandidate',
        component: 1,
        transport: 'udp',
        priority: 1076302079,
        ip: '127.0.0.1',
        port: 40000,
        type: 'host',
      },
    ]);
    assert.equal(media?.endOfCandidates, 'end-of-candidates');
    assert.deepEqual(media?.connection, { version: 4, ip: '127.0.0.1' });
  });

  it('TCP candidates keep their tcptype; updateIceParameters (ICE restart) rewrites every section', () => {
    const sdp = new RemoteSdp({
      ...REMOTE_TRANSPORT,
      iceCandidates: [
        {
          foundation: 'tcpcandidate',
          priority: 1076302078,
          ip: '10.0.0.1',
          protocol: 'tcp',
          port: 40001,
          type: 'host',
          tcpType: 'passive',
        },
      ],
    });
    sdp.send({ offerMedia: offerMedia('audio'), offerIndex: 0, answerRtpParameters: AUDIO_ANSWER });
    assert.equal(parse(sdp).media[0]?.candidates?.[0]?.tcptype, 'passive');
    sdp.updateIceParameters({ usernameFragment: 'new', password: 'newpass', iceLite: false });
    const session = parse(sdp);
    assert.equal(session.icelite, undefined);
    assert.equal(session.media[0]?.iceUfrag, 'new');
    assert.equal(session.media[0]?.icePwd, 'newpass');
  });

  it('DTLS: an answer says actpass until our role is known, then the opposite of ours', () => {
    const sdp = remote();
    sdp.send({ offerMedia: offerMedia('audio'), offerIndex: 0, answerRtpParameters: AUDIO_ANSWER });
    assert.equal(parse(sdp).media[0]?.setup, 'actpass');
    sdp.updateDtlsRole('server');
    assert.equal(parse(sdp).media[0]?.setup, 'passive');
    sdp.updateDtlsRole('client');
    assert.equal(parse(sdp).media[0]?.setup, 'active');
  });

  it('DTLS: an offer (receiving side) always says actpass, as RFC 5763 requires of offerers', () => {
    const sdp = remote();
    sdp.updateDtlsRole('client');
    receiveAudio(sdp, '0');
    assert.equal(parse(sdp).media[0]?.setup, 'actpass');
  });

  it('answer to a send offer: recvonly, only the offered extensions, rtcp-mux and rsize', () => {
    const sdp = remote();
    sdp.send({ offerMedia: offerMedia('audio'), offerIndex: 0, answerRtpParameters: AUDIO_ANSWER });
    const media = parse(sdp).media[0];
    assert.equal(media?.direction, 'recvonly');
    assert.equal(String(media?.mid), '0');
    assert.deepEqual(media?.rtp, [{ payload: 111, codec: 'opus', rate: 48000, encoding: 2 }]);
    assert.deepEqual(media?.fmtp, [{ payload: 111, config: 'useinbandfec=1' }]);
    assert.deepEqual(media?.rtcpFb, [{ payload: 111, type: 'transport-cc' }]);
    // video-orientation was not in the audio offer: an answer may not add it (RFC 8285).
    assert.deepEqual(media?.ext, [{ value: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' }]);
    assert.equal(media?.rtcpMux, 'rtcp-mux');
    assert.equal(media?.rtcpRsize, 'rtcp-rsize');
  });

  it('offer for a consumer: sendonly, SSRC + RTX in a FID group, msid and cname', () => {
    const sdp = remote();
    sdp.receive({
      mid: '1',
      kind: 'video',
      offerRtpParameters: CONSUMER_VIDEO,
      streamId: 'peer',
      trackId: 'consumer-video',
    });
    const media = parse(sdp).media[0];
    assert.equal(media?.direction, 'sendonly');
    assert.equal(media?.payloads, '101 102');
    assert.deepEqual(media?.fmtp, [{ payload: 102, config: 'apt=101' }]);
    assert.deepEqual(media?.ssrcGroups, [{ semantics: 'FID', ssrcs: '22222222 22222223' }]);
    assert.deepEqual(media?.msid, [{ id: 'peer', appdata: 'consumer-video' }]);
    assert.deepEqual(
      media?.ssrcs?.filter((line) => line.attribute === 'cname').map((line) => line.id),
      [22222222, 22222223],
    );
    assert.equal(media?.ssrcs?.[1]?.value, 'producercname');
    assert.throws(
      () =>
        sdp.receive({
          mid: '2',
          kind: 'video',
          offerRtpParameters: { ...CONSUMER_VIDEO, encodings: [] },
          streamId: 'peer',
          trackId: 'x',
        }),
      /consumer m-section 2 has no encodings\[0\]\.ssrc/,
    );
  });

  it('data channels: the answer and the offer carry the SCTP port and max message size (RFC 8841)', () => {
    const sending = remote();
    sending.sendSctp(offerMedia('datachannel'));
    const answer = parse(sending).media[0];
    assert.equal(answer?.type, 'application');
    assert.equal(answer?.protocol, 'UDP/DTLS/SCTP');
    assert.equal(answer?.payloads, 'webrtc-datachannel');
    assert.equal(answer?.sctpPort, 5000);
    assert.equal(answer?.maxMessageSize, 262144);

    const receiving = remote();
    receiving.receiveSctp();
    const offer = parse(receiving).media[0];
    assert.equal(offer?.mid, 'datachannel');
    assert.equal(offer?.sctpPort, 5000);
    assert.equal(offer?.maxMessageSize, 262144);
    assert.equal(offer?.setup, 'actpass');

    const { sctpParameters: _sctp, ...withoutSctpParameters } = REMOTE_TRANSPORT;
    const withoutSctp = new RemoteSdp(withoutSctpParameters);
    assert.throws(() => withoutSctp.receiveSctp(), /needs sctpParameters/);
  });

  it('old sctpmap offers (draft-05) get an sctpmap answer', () => {
    const legacy: MediaDescription = {
      ...offerMedia('datachannel'),
      payloads: '5000',
      sctpmap: { sctpmapNumber: 5000, app: 'webrtc-datachannel', maxMessageSize: 1024 },
    };
    delete legacy.sctpPort;
    const sdp = remote();
    sdp.sendSctp(legacy);
    const media = parse(sdp).media[0];
    assert.equal(String(media?.payloads), '5000');
    assert.deepEqual(media?.sctpmap, {
      sctpmapNumber: 5000,
      app: 'webrtc-datachannel',
      maxMessageSize: 262144,
    });
  });

  it('m-section order never changes, BUNDLE lists live mids, the first one is never closed', () => {
    const sdp = remote();
    receiveAudio(sdp, '0');
    receiveAudio(sdp, '1');
    receiveAudio(sdp, '2');
    assert.deepEqual(sdp.mids, ['0', '1', '2']);
    assert.equal(parse(sdp).groups?.[0]?.mids, '0 1 2');
    assert.equal(sdp.closeSection('1'), true);
    let session = parse(sdp);
    assert.deepEqual(
      session.media.map((m) => [String(m.mid), m.port]),
      [
        ['0', 7],
        ['1', 0],
        ['2', 7],
      ],
    );
    assert.equal(session.groups?.[0]?.mids, '0 2');
    // A closed section drops what a browser would still parse.
    assert.equal(session.media[1]?.candidates, undefined);
    assert.equal(session.media[1]?.ssrcs, undefined);
    assert.deepEqual(session.media[1]?.rtp, []);
    // The BUNDLE-tagged first section is only disabled.
    assert.equal(sdp.closeSection('0'), false);
    session = parse(sdp);
    assert.equal(session.media[0]?.port, 7);
    assert.equal(session.media[0]?.direction, 'inactive');
    assert.equal(session.groups?.[0]?.mids, '0 2');
  });

  it('receive() recycles a closed m-section in place (same index, new mid)', () => {
    const sdp = remote();
    receiveAudio(sdp, '0');
    receiveAudio(sdp, '1');
    receiveAudio(sdp, '2');
    sdp.closeSection('1');
    receiveAudio(sdp, '3');
    assert.deepEqual(sdp.mids, ['0', '3', '2']);
    const session = parse(sdp);
    assert.equal(session.media[1]?.port, 7);
    assert.equal(session.media[1]?.direction, 'sendonly');
    assert.equal(session.groups?.[0]?.mids, '0 3 2');
  });

  it('send() replaces the section at the offer index when the browser recycled it, refuses gaps', () => {
    const sdp = remote();
    const audio = offerMedia('audio-video', 0);
    const video = offerMedia('audio-video', 1);
    sdp.send({ offerMedia: audio, offerIndex: 0, answerRtpParameters: AUDIO_ANSWER });
    sdp.send({ offerMedia: video, offerIndex: 1, answerRtpParameters: AUDIO_ANSWER });
    sdp.closeSection('1');
    sdp.send({
      offerMedia: { ...audio, mid: '2' },
      offerIndex: 1,
      answerRtpParameters: AUDIO_ANSWER,
    });
    assert.deepEqual(sdp.mids, ['0', '2']);
    assert.throws(
      () =>
        sdp.send({
          offerMedia: { ...audio, mid: '9' },
          offerIndex: 5,
          answerRtpParameters: AUDIO_ANSWER,
        }),
      /at index 5 skips remote sections/,
    );
  });

  it('pause / resume: inactive, then recvonly for an answer and sendonly for an offer', () => {
    const sdp = remote();
    sdp.send({ offerMedia: offerMedia('audio'), offerIndex: 0, answerRtpParameters: AUDIO_ANSWER });
    receiveAudio(sdp, 'r1');
    sdp.setSectionActive('0', false);
    sdp.setSectionActive('r1', false);
    assert.deepEqual(
      parse(sdp).media.map((m) => m.direction),
      ['inactive', 'inactive'],
    );
    sdp.setSectionActive('0', true);
    sdp.setSectionActive('r1', true);
    assert.deepEqual(
      parse(sdp).media.map((m) => m.direction),
      ['recvonly', 'sendonly'],
    );
    assert.throws(() => sdp.setSectionActive('nope', false), /no remote m-section with mid "nope"/);
  });

  it('snapshot() undoes sections added after it (all-or-nothing sendMany)', () => {
    const sdp = remote();
    receiveAudio(sdp, '0');
    const restore = sdp.snapshot();
    receiveAudio(sdp, '1');
    sdp.setExtmapAllowMixed();
    restore();
    const session = parse(sdp);
    assert.deepEqual(sdp.mids, ['0']);
    assert.equal(String(session.groups?.[0]?.mids), '0');
    assert.equal(session.extmapAllowMixed, undefined);
  });

  it('every rendering is a new session version (RFC 3264 section 8)', () => {
    const sdp = remote();
    const first = parse(sdp).origin?.sessionVersion;
    const second = parse(sdp).origin?.sessionVersion;
    assert.equal(Number(second), Number(first) + 1);
  });
});
