import type { MediaDescription } from 'sdp-transform';
import type { ProducerCodecOptions } from '../../Producer.js';
import type { RtpCodecParameters, RtpParameters } from '../../RtpParameters.js';
import { formatFmtpConfig } from './remoteMediaSection.js';
import { parseCodecParameters } from './rtpCapabilities.js';

const OPUS = new Set(['audio/opus', 'audio/multiopus']);
const GOOGLE_BITRATE_VIDEO = new Set([
  'video/vp8',
  'video/vp9',
  'video/h264',
  'video/h265',
  'video/av1',
]);
const flag = (value: boolean): number => (value ? 1 : 0);

/**
 * Applies codec options to one send negotiation, in place.
 *
 * The remote answer's fmtp is what tells libwebrtc's encoder what to do
 * (the answerer's stereo/useinbandfec/usedtx/maxplaybackrate/ptime are the
 * receiver's wishes, RFC 7587 section 7), so every option lands in
 * `answer`. The ones that describe the stream itself (sprop-stereo, FEC, DTX,
 * ptime) also land in `sending`, the producer's RTP parameters, so the router
 * and consumers know. Without `opusNack`, Opus generic NACK is removed from
 * both sides.
 */
export function applyCodecOptions(
  sending: RtpParameters,
  answer: RtpParameters,
  options: ProducerCodecOptions | undefined,
): void {
  if (!options) return;
  for (const answerCodec of answer.codecs) {
    const mime = answerCodec.mimeType.toLowerCase();
    const sendingCodec = sending.codecs.find((c) => c.payloadType === answerCodec.payloadType);
    const answerParams: Record<string, unknown> = { ...answerCodec.parameters };
    answerCodec.parameters = answerParams;
    const sendingParams: Record<string, unknown> = { ...sendingCodec?.parameters };
    if (sendingCodec) sendingCodec.parameters = sendingParams;
    if (OPUS.has(mime)) {
      const both = (key: string, value: unknown) => {
        answerParams[key] = value;
        sendingParams[key] = value;
      };
      if (options.opusStereo !== undefined) {
        answerParams.stereo = flag(options.opusStereo);
        sendingParams['sprop-stereo'] = flag(options.opusStereo);
      }
      if (options.opusFec !== undefined) both('useinbandfec', flag(options.opusFec));
      if (options.opusDtx !== undefined) both('usedtx', flag(options.opusDtx));
      if (options.opusPtime !== undefined) both('ptime', options.opusPtime);
      if (options.opusMaxPlaybackRate !== undefined) {
        answerParams.maxplaybackrate = options.opusMaxPlaybackRate;
      }
      if (options.opusMaxAverageBitrate !== undefined) {
        answerParams.maxaveragebitrate = options.opusMaxAverageBitrate;
      }
      if (!options.opusNack) {
        removeGenericNack(answerCodec);
        if (sendingCodec) removeGenericNack(sendingCodec);
      }
    } else if (GOOGLE_BITRATE_VIDEO.has(mime)) {
      if (options.videoGoogleStartBitrate !== undefined) {
        answerParams['x-google-start-bitrate'] = options.videoGoogleStartBitrate;
      }
      if (options.videoGoogleMaxBitrate !== undefined) {
        answerParams['x-google-max-bitrate'] = options.videoGoogleMaxBitrate;
      }
      if (options.videoGoogleMinBitrate !== undefined) {
        answerParams['x-google-min-bitrate'] = options.videoGoogleMinBitrate;
      }
    }
  }
}

function removeGenericNack(codec: RtpCodecParameters): void {
  // "nack pli" stays: only plain "nack" (retransmission requests) goes.
  if (codec.rtcpFeedback) {
    codec.rtcpFeedback = codec.rtcpFeedback.filter((fb) => fb.type !== 'nack' || !!fb.parameter);
  }
}

/**
 * Fixes the local answer of a receiving m-section, in place: a consumer of a
 * stereo Opus producer carries `sprop-stereo=1`, and the browser only decodes
 * stereo if its answer says `stereo=1`.
 */
export function applyCodecParameters(offer: RtpParameters, answerMedia: MediaDescription): void {
  for (const codec of offer.codecs) {
    if (!OPUS.has(codec.mimeType.toLowerCase())) continue;
    const spropStereo = codec.parameters?.['sprop-stereo'];
    if (spropStereo === undefined) continue;
    if (!answerMedia.rtp.some((rtp) => rtp.payload === codec.payloadType)) continue;
    let fmtp = answerMedia.fmtp.find((f) => f.payload === codec.payloadType);
    if (!fmtp) {
      fmtp = { payload: codec.payloadType, config: '' };
      answerMedia.fmtp.push(fmtp);
    }
    const parameters = parseCodecParameters(fmtp.config);
    parameters.stereo = Number(spropStereo) ? 1 : 0;
    fmtp.config = formatFmtpConfig(parameters);
  }
}
