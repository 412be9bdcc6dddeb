import * as v from 'valibot';
import { list, MediaKind, UInt, UInt32 } from './common.js';

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

/**
 * The scalability modes mediasoup and browsers know: L (SVC) or S
 * (simulcast-style) 1-3 spatial and 1-3 temporal layers, with the `_KEY`
 * (key-frame dependent) and `h` (1.5:1 resolution ratio) variants.
 */
const ScalabilityMode = v.pipe(
  v.string(),
  v.regex(
    /^(L[1-3]T[1-3](h|_KEY|_KEY_SHIFT)?|S[1-3]T[1-3]h?)$/,
    'expected a scalability mode such as "L1T3", "L3T3_KEY" or "S2T3"',
  ),
);

export const RtpEncodingParameters = v.pipe(
  v.object({
    ssrc: v.optional(UInt32),
    rid: v.optional(v.pipe(v.string(), v.maxLength(32))),
    codecPayloadType: v.optional(UInt),
    rtx: v.optional(v.object({ ssrc: UInt32 })),
    dtx: v.optional(v.boolean()),
    scalabilityMode: v.optional(ScalabilityMode),
    scaleResolutionDownBy: v.optional(v.pipe(v.number(), v.minValue(1))),
    maxBitrate: v.optional(UInt),
    maxFramerate: v.optional(v.pipe(v.number(), v.minValue(0))),
    adaptivePtime: v.optional(v.boolean()),
    priority: v.optional(v.picklist(['very-low', 'low', 'medium', 'high'])),
    networkPriority: v.optional(v.picklist(['very-low', 'low', 'medium', 'high'])),
    active: v.optional(v.boolean()),
  }),
  v.check(
    (encoding) => encoding.rtx === undefined || encoding.rtx.ssrc !== encoding.ssrc,
    'the RTX SSRC must differ from the media SSRC',
  ),
);

/** Every SSRC (media and RTX) of every encoding, in order. */
function ssrcsOf(
  encodings: readonly { ssrc?: number | undefined; rtx?: { ssrc: number } | undefined }[],
): number[] {
  const ssrcs: number[] = [];
  for (const encoding of encodings) {
    if (encoding.ssrc !== undefined) ssrcs.push(encoding.ssrc);
    if (encoding.rtx) ssrcs.push(encoding.rtx.ssrc);
  }
  return ssrcs;
}

export const RtcpParameters = v.object({
  cname: v.optional(v.pipe(v.string(), v.maxLength(256))),
  reducedSize: v.optional(v.boolean()),
  mux: v.optional(v.boolean()),
});

export const RtpParameters = v.pipe(
  v.object({
    mid: v.optional(v.pipe(v.string(), v.maxLength(32))),
    codecs: list(RtpCodecParameters, 64),
    headerExtensions: v.optional(list(RtpHeaderExtensionParameters, 32)),
    encodings: v.optional(list(RtpEncodingParameters, 16)),
    rtcp: v.optional(RtcpParameters),
  }),
  v.check((parameters) => {
    const ssrcs = ssrcsOf(parameters.encodings ?? []);
    return new Set(ssrcs).size === ssrcs.length;
  }, 'every SSRC (media and RTX) must appear once across the encodings'),
);

/**
 * The codec whose media type is not `kind`, if any. A producer of kind
 * "audio" with VP8 codecs gives every consumer an m=audio section with video
 * codecs, which browsers refuse, and a refused section breaks the receiver's
 * later tracks: checked here, at both ends.
 */
export function codecOfOtherKind(
  kind: 'audio' | 'video',
  parameters: { codecs: readonly { mimeType: string }[] },
): string | undefined {
  const prefix = `${kind}/`;
  return parameters.codecs.find((codec) => !codec.mimeType.toLowerCase().startsWith(prefix))
    ?.mimeType;
}

/** A check for objects carrying `kind` and `rtpParameters` (produce, newConsumer). */
export function codecsMatchKind<
  T extends { kind: 'audio' | 'video'; rtpParameters: RtpParameters },
>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { kind, rtpParameters } = dataset.value;
    const other = codecOfOtherKind(kind, rtpParameters);
    if (other) {
      addIssue({
        message: `codec "${other}" is not ${kind}: every codec of a ${kind} track must be "${kind}/..."`,
        path: [
          {
            type: 'object',
            origin: 'value',
            input: dataset.value as Record<string, unknown>,
            key: 'rtpParameters',
            value: rtpParameters,
          },
        ],
      });
    }
  });
}

export type RtpCapabilities = v.InferOutput<typeof RtpCapabilities>;
export type RtpParameters = v.InferOutput<typeof RtpParameters>;
export type RtpCodecCapability = v.InferOutput<typeof RtpCodecCapability>;
export type RtpEncodingParameters = v.InferOutput<typeof RtpEncodingParameters>;
