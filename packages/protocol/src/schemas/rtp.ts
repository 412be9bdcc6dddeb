import * as v from 'valibot';
import { list, MediaKind, UInt } from './common.js';

// Shapes of mediasoup's ORTC-style RTP types, as the v3 docs define them.
// Only known keys survive parsing, so the server hands mediasoup nothing else.

const Direction = v.picklist(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

const RtcpFeedback = v.object({
  type: v.pipe(v.string(), v.maxLength(64)),
  parameter: v.optional(v.pipe(v.string(), v.maxLength(64))),
});

/**
 * Codec parameters are format parameters (`a=fmtp`): strings or numbers. The
 * check runs at run time while the type stays `unknown`, so the SDK's
 * mediasoup-client-shaped types (`Record<string, unknown>`) pass unchanged.
 */
const CodecParameters = v.record(
  v.pipe(v.string(), v.maxLength(64)),
  v.pipe(
    v.unknown(),
    v.check(
      (value) => typeof value === 'number' || (typeof value === 'string' && value.length <= 512),
      'a codec parameter must be a number or a string of at most 512 characters',
    ),
  ),
);

const MimeType = v.pipe(
  v.string(),
  v.regex(/^(audio|video)\/[\w.+-]+$/i, 'expected "audio/..." or "video/..."'),
);

export const RtpCodecCapability = v.object({
  kind: MediaKind,
  mimeType: MimeType,
  preferredPayloadType: v.optional(UInt),
  clockRate: UInt,
  channels: v.optional(UInt),
  parameters: v.optional(CodecParameters),
  rtcpFeedback: v.optional(list(RtcpFeedback, 32)),
});

export const RtpHeaderExtension = v.object({
  kind: MediaKind,
  uri: v.pipe(v.string(), v.maxLength(256)),
  preferredId: UInt,
  preferredEncrypt: v.optional(v.boolean()),
  direction: v.optional(Direction),
});

export const RtpCapabilities = v.object({
  codecs: v.optional(list(RtpCodecCapability, 128)),
  headerExtensions: v.optional(list(RtpHeaderExtension, 64)),
});

export const RtpCodecParameters = v.object({
  mimeType: MimeType,
  payloadType: UInt,
  clockRate: UInt,
  channels: v.optional(UInt),
  parameters: v.optional(CodecParameters),
  rtcpFeedback: v.optional(list(RtcpFeedback, 32)),
});

export const RtpHeaderExtensionParameters = v.object({
  uri: v.pipe(v.string(), v.maxLength(256)),
  id: UInt,
  encrypt: v.optional(v.boolean()),
  parameters: v.optional(CodecParameters),
});

export const RtpEncodingParameters = v.object({
  ssrc: v.optional(UInt),
  rid: v.optional(v.pipe(v.string(), v.maxLength(32))),
  codecPayloadType: v.optional(UInt),
  rtx: v.optional(v.object({ ssrc: UInt })),
  dtx: v.optional(v.boolean()),
  scalabilityMode: v.optional(v.pipe(v.string(), v.maxLength(32))),
  scaleResolutionDownBy: v.optional(v.pipe(v.number(), v.minValue(1))),
  maxBitrate: v.optional(UInt),
  maxFramerate: v.optional(v.pipe(v.number(), v.minValue(0))),
  adaptivePtime: v.optional(v.boolean()),
  priority: v.optional(v.picklist(['very-low', 'low', 'medium', 'high'])),
  networkPriority: v.optional(v.picklist(['very-low', 'low', 'medium', 'high'])),
  active: v.optional(v.boolean()),
});

export const RtcpParameters = v.object({
  cname: v.optional(v.pipe(v.string(), v.maxLength(256))),
  reducedSize: v.optional(v.boolean()),
  mux: v.optional(v.boolean()),
});

export const RtpParameters = v.object({
  mid: v.optional(v.pipe(v.string(), v.maxLength(32))),
  codecs: list(RtpCodecParameters, 64),
  headerExtensions: v.optional(list(RtpHeaderExtensionParameters, 32)),
  encodings: v.optional(list(RtpEncodingParameters, 16)),
  rtcp: v.optional(RtcpParameters),
});

export type RtpCapabilities = v.InferOutput<typeof RtpCapabilities>;
export type RtpParameters = v.InferOutput<typeof RtpParameters>;
export type RtpCodecCapability = v.InferOutput<typeof RtpCodecCapability>;
export type RtpEncodingParameters = v.InferOutput<typeof RtpEncodingParameters>;
