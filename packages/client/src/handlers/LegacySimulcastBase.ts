import type { MediaDescription } from 'sdp-transform';
import type { RtpCodecParameters } from '../RtpParameters.js';
import type { HandlerSendOptions } from './HandlerInterface.js';
import { addLegacySimulcast } from './sdp/rtpEncodings.js';
import { type SendItem, toRtcEncoding, UnifiedPlanBase } from './UnifiedPlanBase.js';

/**
 * Unified plan with simulcast asked for the legacy way, for stacks whose
 * RID simulcast is missing or unreliable (Safari, @roamhq/wrtc in Node): the
 * transceiver gets at most one encoding, and the offer gets one SSRC per
 * wanted stream in a SIM group. The base class then reads those SSRCs back
 * as the producer's encodings, each completed with the app's encoding at
 * the same position.
 */
export abstract class LegacySimulcastBase extends UnifiedPlanBase {
  /** A single encoding is passed on (maxBitrate...); several become SSRCs in the offer. */
  protected override sendEncodingsFor(
    options: HandlerSendOptions,
  ): RTCRtpEncodingParameters[] | undefined {
    const first = options.encodings?.[0];
    return first && options.encodings?.length === 1 ? [toRtcEncoding(first)] : undefined;
  }

  protected override mungeSendOffer(
    media: MediaDescription,
    item: SendItem,
    _codecs: RtpCodecParameters[],
  ): void {
    addLegacySimulcast(media, item.options.encodings?.length ?? 1);
  }
}
