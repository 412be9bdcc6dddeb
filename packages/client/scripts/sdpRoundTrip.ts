/**
 * Builds our remote SDP for the capture script's round trips, with the same
 * RemoteSdp the handlers use: an answer to each browser offer (what a
 * mediasoup transport would answer) and an offer for two consumers plus a data
 * channel. The transport parameters are made up (no server runs during
 * capture): the browser only has to accept the SDP, not connect.
 */

import type { MediaDescription } from 'sdp-transform';
import * as sdpTransform from 'sdp-transform';
import { RemoteSdp } from '../src/handlers/sdp/RemoteSdp.ts';
import { extractRtpCapabilities } from '../src/handlers/sdp/rtpCapabilities.ts';
import { CONSUMER_AUDIO, CONSUMER_VIDEO } from '../src/handlers/testing/consumers.ts';
import type { RtpParameters } from '../src/RtpParameters.ts';

/** Header extensions mediasoup 3.8 routers accept (by URI). */
const ROUTER_EXTENSIONS = new Set([
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
]);

export const FAKE_TRANSPORT = {
  iceParameters: {
    usernameFragment: 'vroomufrag0000',
    password: 'vroompassword00000000000',
    iceLite: true,
  },
  iceCandidates: [
    {
      foundation: 'udpcandidate',
      priority: 1076302079,
      ip: '127.0.0.1',
      protocol: 'udp' as const,
      port: 40000,
      type: 'host' as const,
    },
  ],
  dtlsParameters: {
    role: 'auto' as const,
    fingerprints: [
      {
        algorithm: 'sha-256' as const,
        value:
          '82:5A:68:3D:36:C3:0A:DE:AF:E7:32:43:D2:88:83:57:E2:B6:B8:F5:1C:4C:5E:3C:2A:3E:1D:7A:9F:2E:3B:11',
      },
    ],
  },
  sctpParameters: { port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 262144 },
};

/** The first media codec of the m-section (and its RTX), as the router would pick it. */
function answerParametersFor(media: MediaDescription): RtpParameters {
  const caps = extractRtpCapabilities({ ...sdpTransform.parse('v=0\r\n'), media: [media] });
  const codecs = caps.codecs ?? [];
  const main = codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec-03)$/i.test(c.mimeType));
  if (!main) throw new Error(`m-section ${String(media.mid)} offers no media codec`);
  const rtx = codecs.find(
    (c) => /\/rtx$/i.test(c.mimeType) && c.parameters?.apt === main.preferredPayloadType,
  );
  const asParams = (c: typeof main) => ({
    mimeType: c.mimeType,
    payloadType: c.preferredPayloadType,
    clockRate: c.clockRate,
    ...(c.channels !== undefined ? { channels: c.channels } : {}),
    parameters: c.parameters ?? {},
    rtcpFeedback: c.rtcpFeedback ?? [],
  });
  return {
    codecs: rtx ? [asParams(main), asParams(rtx)] : [asParams(main)],
    headerExtensions: (caps.headerExtensions ?? [])
      .filter((ext) => ROUTER_EXTENSIONS.has(ext.uri))
      .map((ext) => ({ uri: ext.uri, id: ext.preferredId })),
  };
}

/** Our answer to a browser's send offer (every m-section, DTLS role server). */
export function buildAnswerForOffer(offerSdp: string, _browser: string): string {
  const remote = new RemoteSdp(FAKE_TRANSPORT);
  const offer = sdpTransform.parse(offerSdp);
  remote.updateDtlsRole('server');
  if (offer.extmapAllowMixed) remote.setSessionExtmapAllowMixed();
  offer.media.forEach((media, offerIndex) => {
    if (media.type === 'application') {
      remote.sendSctpAssociation(media);
    } else {
      remote.send({
        offerMedia: media,
        offerIndex,
        answerRtpParameters: answerParametersFor(media),
      });
    }
  });
  return remote.getSdp();
}

/** A mediasoup-style offer: one Opus consumer, one VP8 (+RTX) consumer, data channels. */
export function buildConsumerOffer(): string {
  const remote = new RemoteSdp(FAKE_TRANSPORT);
  remote.receive({
    mid: '0',
    kind: 'audio',
    streamId: 'producer-peer',
    trackId: 'consumer-audio',
    offerRtpParameters: CONSUMER_AUDIO,
  });
  remote.receive({
    mid: '1',
    kind: 'video',
    streamId: 'producer-peer',
    trackId: 'consumer-video',
    offerRtpParameters: CONSUMER_VIDEO,
  });
  remote.receiveSctpAssociation();
  return remote.getSdp();
}
