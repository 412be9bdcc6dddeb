import { clone } from '../clone.js';
import type {
  ExtendedRtpCapabilities,
  MediaKind,
  RtpCodecParameters,
  RtpHeaderExtensionParameters,
  RtpParameters,
} from '../RtpParameters.js';
import { validateAndNormalizeRtpParameters } from './validation.js';

// RTP parameters for sending one track: every codec the device and router
// share (each followed by its RTX codec) and the header extensions usable in
// the sending direction. mid, encodings and rtcp are left for the handler.

const TRANSPORT_CC_URI =
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const ABS_SEND_TIME_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';

/** What a sending handler offers: local payload types with local codec parameters. */
export function getSendingRtpParameters(
  kind: MediaKind,
  extended: ExtendedRtpCapabilities,
): RtpParameters {
  return buildSendingParameters(kind, extended, 'local');
}

/**
 * What the remote (router) side answers for a sending handler: local payload
 * types with the router's codec parameters, and only the congestion control
 * feedback that the negotiated header extensions make usable (transport-cc
 * wins over REMB).
 */
export function getSendingRemoteRtpParameters(
  kind: MediaKind,
  extended: ExtendedRtpCapabilities,
): RtpParameters {
  const params = buildSendingParameters(kind, extended, 'remote');
  const uris = new Set((params.headerExtensions ?? []).map((ext) => ext.uri));
  const dropped = uris.has(TRANSPORT_CC_URI)
    ? ['goog-remb']
    : uris.has(ABS_SEND_TIME_URI)
      ? ['transport-cc']
      : ['transport-cc', 'goog-remb'];
  for (const codec of params.codecs) {
    codec.rtcpFeedback = (codec.rtcpFeedback ?? []).filter((fb) => !dropped.includes(fb.type));
  }
  return params;
}

function buildSendingParameters(
  kind: MediaKind,
  extended: ExtendedRtpCapabilities,
  parametersOf: 'local' | 'remote',
): RtpParameters {
  const codecs: RtpCodecParameters[] = [];
  for (const ext of extended.codecs) {
    if (ext.kind !== kind) continue;
    const codec: RtpCodecParameters = {
      mimeType: ext.mimeType,
      payloadType: ext.localPayloadType,
      clockRate: ext.clockRate,
      parameters: parametersOf === 'local' ? ext.localParameters : ext.remoteParameters,
    };
    if (ext.channels !== undefined) codec.channels = ext.channels;
    if (ext.rtcpFeedback !== undefined) codec.rtcpFeedback = ext.rtcpFeedback;
    codecs.push(codec);
    if (ext.localRtxPayloadType) {
      codecs.push({
        mimeType: `${ext.kind}/rtx`,
        payloadType: ext.localRtxPayloadType,
        clockRate: ext.clockRate,
        parameters: { apt: ext.localPayloadType },
        rtcpFeedback: [],
      });
    }
  }
  const headerExtensions: RtpHeaderExtensionParameters[] = extended.headerExtensions
    .filter(
      (ext) =>
        (!ext.kind || ext.kind === kind) &&
        (ext.direction === 'sendrecv' || ext.direction === 'sendonly'),
    )
    .map((ext) => ({ uri: ext.uri, id: ext.sendId, encrypt: ext.encrypt, parameters: {} }));
  return { codecs, headerExtensions, encodings: [], rtcp: {} };
}

const PROBATOR_MID = 'probator';
const PROBATOR_SSRC = 1234;
const PROBATOR_PAYLOAD_TYPE = 127;

/**
 * RTP parameters of the probator: a consumer of mediasoup's bandwidth
 * probation stream, built from the parameters of any video consumer.
 */
export function generateProbatorRtpParameters(videoRtpParameters: RtpParameters): RtpParameters {
  const reference = clone(videoRtpParameters);
  validateAndNormalizeRtpParameters(reference);
  const first = reference.codecs[0];
  if (!first) throw new TypeError('no codec in the video RTP parameters');
  return {
    mid: PROBATOR_MID,
    codecs: [{ ...first, payloadType: PROBATOR_PAYLOAD_TYPE }],
    headerExtensions: reference.headerExtensions ?? [],
    encodings: [{ ssrc: PROBATOR_SSRC }],
    rtcp: { cname: 'probator' },
  };
}
