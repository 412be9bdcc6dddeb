import { randomInt } from 'node:crypto';
import type { types } from 'mediasoup';
import { IngestError } from './IngestError.js';

export type IngestAudioCodec = 'opus';
export type IngestVideoCodec = 'vp8' | 'h264';

/** What an encoder must put in its RTP for one kind, and what mediasoup expects. */
export interface IngestStreamParameters {
  mimeType: string;
  payloadType: number;
  ssrc: number;
  clockRate: number;
  channels?: number;
  /** Codec parameters (fmtp), e.g. H264's profile-level-id. */
  parameters: Record<string, string | number>;
}

const CODECS: Record<string, { mimeType: string; parameters: Record<string, string | number> }> = {
  opus: { mimeType: 'audio/opus', parameters: { 'sprop-stereo': 1 } },
  vp8: { mimeType: 'video/VP8', parameters: {} },
  // Constrained baseline, what FFmpeg's `-profile:v baseline` and openh264 send.
  h264: {
    mimeType: 'video/H264',
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
  },
};

const KIND_CODECS = { audio: ['opus'], video: ['vp8', 'h264'] } as const;

/**
 * The stream an ingest asks its encoder for: the router's own payload type
 * for the codec (so SDPs and dumps read the same number everywhere) and a
 * random SSRC. Throws IngestError when the codec is unknown or not in the room.
 */
export function ingestStream(
  kind: 'audio' | 'video',
  codec: unknown,
  router: types.Router,
): IngestStreamParameters {
  const known: readonly string[] = KIND_CODECS[kind];
  if (typeof codec !== 'string' || !known.includes(codec)) {
    throw IngestError.codecUnknown(kind, codec);
  }
  const wanted = CODECS[codec];
  if (!wanted) throw IngestError.codecUnknown(kind, codec);
  const capability = (router.rtpCapabilities.codecs ?? []).find(
    (c) =>
      c.mimeType.toLowerCase() === wanted.mimeType.toLowerCase() &&
      (codec !== 'h264' ||
        String(c.parameters?.['profile-level-id']) === wanted.parameters['profile-level-id']),
  );
  if (!capability || capability.preferredPayloadType === undefined) {
    throw IngestError.codecNotInRoom(wanted.mimeType);
  }
  return {
    mimeType: capability.mimeType,
    payloadType: capability.preferredPayloadType,
    // Under 2^31: FFmpeg's `-ssrc` option is a signed 32-bit int.
    ssrc: randomInt(1, 0x7fff_ffff),
    clockRate: capability.clockRate,
    ...(capability.channels !== undefined ? { channels: capability.channels } : {}),
    parameters: wanted.parameters,
  };
}

/** mediasoup's producer parameters for that stream. FFmpeg and GStreamer answer no NACK or PLI. */
export function producerRtpParameters(stream: IngestStreamParameters): types.RtpParameters {
  return {
    codecs: [
      {
        mimeType: stream.mimeType,
        clockRate: stream.clockRate,
        payloadType: stream.payloadType,
        ...(stream.channels !== undefined ? { channels: stream.channels } : {}),
        parameters: stream.parameters,
        rtcpFeedback: [],
      },
    ],
    encodings: [{ ssrc: stream.ssrc }],
  };
}
