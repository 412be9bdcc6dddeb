import type { RtpCodecParameters, RtpEncodingParameters } from '../RtpParameters.js';
import { parse as parseScalabilityMode } from '../scalabilityModes.js';

/**
 * mediasoup needs one temporal layer count for every simulcast stream, while
 * WebRTC allows one per encoding: take the largest asked for. libwebrtc sends
 * three temporal layers when none is given.
 */
export function simulcastTemporalLayers(encodings: readonly RtpEncodingParameters[]): number {
  return Math.max(
    1,
    ...encodings.map((e) =>
      e.scalabilityMode ? parseScalabilityMode(e.scalabilityMode).temporalLayers : 3,
    ),
  );
}

/**
 * VP8 and H264 simulcast streams are temporal-scalable only (L1Tn): say so in
 * each encoding, so the router knows how many temporal layers to expect
 * (browsers without scalabilityMode support send three).
 */
export function markSimulcastTemporalLayers(
  encodings: RtpEncodingParameters[],
  codecs: readonly RtpCodecParameters[],
  requested: readonly RtpEncodingParameters[],
): RtpEncodingParameters[] {
  const mime = codecs[0]?.mimeType.toLowerCase();
  if (encodings.length < 2 || (mime !== 'video/vp8' && mime !== 'video/h264')) return encodings;
  const temporal = parseScalabilityMode(requested[0]?.scalabilityMode).temporalLayers;
  return encodings.map((encoding) => ({
    ...encoding,
    scalabilityMode: encoding.scalabilityMode ? `L1T${temporal}` : 'L1T3',
  }));
}
