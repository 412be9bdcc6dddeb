import type { types } from 'mediasoup';

/** Codecs a plain RTP receiver (FFmpeg, GStreamer) records without transcoding. */
export const RECORDABLE_MIME_TYPES: readonly string[] = ['audio/opus', 'video/VP8'];

/**
 * Header extensions worth sending to a plain receiver. Transport-wide CC and
 * MID are left out: the receiver sends no transport feedback, and a plain
 * transport has no BUNDLE to demultiplex.
 */
const RECEIVER_EXTENSIONS = new Set([
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
]);

/** Feedback a plain receiver may send back: NACK and key frame requests. */
const RECEIVER_FEEDBACK = new Set(['nack', 'nack pli', 'ccm fir']);

/**
 * The RTP capabilities of a plain receiver, cut from the router's: the same
 * `preferredPayloadType` and header extension `preferredId` values (mediasoup
 * requires it, the SDP then matches what the consumer sends), no RTX (plain
 * receivers do not undo it), only the feedback they can send.
 */
export function receiverCapabilities(
  router: types.RtpCapabilities,
  mimeTypes: readonly string[] = RECORDABLE_MIME_TYPES,
): types.RtpCapabilities {
  const wanted = new Set(mimeTypes.map((mime) => mime.toLowerCase()));
  const codecs = (router.codecs ?? [])
    .filter((codec) => wanted.has(codec.mimeType.toLowerCase()))
    .map((codec) => ({
      ...codec,
      rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) =>
        RECEIVER_FEEDBACK.has(fb.parameter ? `${fb.type} ${fb.parameter}` : fb.type),
      ),
    }));
  const headerExtensions = (router.headerExtensions ?? []).filter((ext) =>
    RECEIVER_EXTENSIONS.has(ext.uri),
  );
  return { codecs, headerExtensions };
}
