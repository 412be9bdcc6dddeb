import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';

/**
 * The router codecs a room gets unless the app chooses: opus, VP8, VP9
 * (profiles 0 and 2), H264 constrained baseline (42e01f) and main (4d0032),
 * each kept only if this mediasoup build supports its MIME type.
 */
export function defaultMediaCodecs(): types.RtpCodecCapability[] {
  const wanted: types.RtpCodecCapability[] = [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
    { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 0 } },
    { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 2 } },
    h264('42e01f'),
    h264('4d0032'),
  ];
  const supported = new Set(
    (mediasoup.getSupportedRtpCapabilities().codecs ?? []).map((codec) =>
      codec.mimeType.toLowerCase(),
    ),
  );
  return wanted.filter((codec) => supported.has(codec.mimeType.toLowerCase()));
}

function h264(profileLevelId: string): types.RtpCodecCapability {
  return {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': profileLevelId,
      'level-asymmetry-allowed': 1,
    },
  };
}
