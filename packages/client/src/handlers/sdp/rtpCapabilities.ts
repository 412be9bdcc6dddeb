import { parseParams, type SessionDescription } from 'sdp-transform';
import { isRtxCodec } from '../../ortc/codecMatching.js';
import type {
  MediaKind,
  RtcpFeedback,
  RtpCapabilities,
  RtpCodecCapability,
  RtpHeaderExtension,
} from '../../RtpParameters.js';

/**
 * Reads what the browser can do from a local offer. With BUNDLE every
 * m-section must use the same payload types and extension ids (RFC 8843
 * section 7.5), so one map per kind keyed by payload type or id is enough.
 */
export function extractRtpCapabilities(sdp: SessionDescription): RtpCapabilities {
  const codecs = new Map<number, RtpCodecCapability & { rtcpFeedback: RtcpFeedback[] }>();
  const headerExtensions = new Map<string, RtpHeaderExtension>();
  for (const media of sdp.media) {
    if (media.type !== 'audio' && media.type !== 'video') continue;
    const kind: MediaKind = media.type;
    for (const rtp of media.rtp) {
      if (codecs.has(rtp.payload)) continue;
      codecs.set(rtp.payload, {
        kind,
        mimeType: `${kind}/${rtp.codec}`,
        preferredPayloadType: rtp.payload,
        clockRate: rtp.rate ?? 90000,
        ...(kind === 'audio' ? { channels: rtp.encoding ? Number(rtp.encoding) : 1 } : {}),
        parameters: {},
        rtcpFeedback: [],
      });
    }
    for (const fmtp of media.fmtp) {
      const codec = codecs.get(fmtp.payload);
      if (codec) codec.parameters = parseCodecParameters(fmtp.config);
    }
    for (const fb of media.rtcpFb ?? []) {
      const feedback: RtcpFeedback = {
        type: fb.type,
        ...(fb.subtype ? { parameter: fb.subtype } : {}),
      };
      const targets =
        fb.payload === '*'
          ? [...codecs.values()].filter((c) => c.kind === kind && !isRtxCodec(c))
          : [codecs.get(Number(fb.payload))];
      for (const codec of targets) {
        if (!codec) continue;
        const known = codec.rtcpFeedback.some(
          (f) => f.type === feedback.type && f.parameter === feedback.parameter,
        );
        if (!known) codec.rtcpFeedback.push(feedback);
      }
    }
    for (const ext of media.ext ?? []) {
      // Encrypted extensions (RFC 6904) are not something mediasoup negotiates.
      if (ext['encrypt-uri']) continue;
      const key = `${kind} ${ext.value}`;
      if (headerExtensions.has(key)) continue;
      headerExtensions.set(key, { kind, uri: ext.uri, preferredId: ext.value });
    }
  }
  return { codecs: [...codecs.values()], headerExtensions: [...headerExtensions.values()] };
}

/**
 * An fmtp config as codec parameters ("a=1;b=x" -> { a: 1, b: 'x' }), read
 * by sdp-transform's parseParams (numbers for integer-looking values), with
 * two rules of the SDK's RTP parameters: an entry without a value (Firefox's
 * telephone-event "0-15") is left out rather than kept as undefined, and
 * H264's profile-level-id is hex, so it stays the text even when all digits.
 */
export function parseCodecParameters(config: string): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseParams(config))) {
    if (value === undefined) continue;
    parameters[key] = key === 'profile-level-id' ? String(value) : value;
  }
  return parameters;
}

/**
 * libwebrtc retransmits Opus on NACK but does not announce it in its SDP;
 * adding it lets the router negotiate NACK for audio producers.
 */
export function addNackSupportForOpus(capabilities: RtpCapabilities): void {
  for (const codec of capabilities.codecs ?? []) {
    const mime = codec.mimeType.toLowerCase();
    if (mime !== 'audio/opus' && mime !== 'audio/multiopus') continue;
    codec.rtcpFeedback ??= [];
    if (!codec.rtcpFeedback.some((fb) => fb.type === 'nack' && !fb.parameter)) {
      codec.rtcpFeedback.push({ type: 'nack' });
    }
  }
}
