import type { MediaDescription } from 'sdp-transform';
import type { RtpCodecParameters } from '../RtpParameters.js';
import type {
  HandlerFactory,
  HandlerFactoryOptions,
  HandlerSendOptions,
} from './HandlerInterface.js';
import { addLegacySimulcast } from './sdp/rtpEncodings.js';
import {
  createUnifiedPlanFactory,
  type SendItem,
  toRtcEncoding,
  UnifiedPlanBase,
} from './UnifiedPlanBase.js';

/**
 * Safari 12.1+ (WebKit's libwebrtc). Simulcast is requested the legacy way:
 * one encoding for addTransceiver and extra SSRCs in a SIM group of the
 * offer, each completed with the app's encoding at the same position.
 */
export class Safari12 extends UnifiedPlanBase {
  static override readonly handlerName: string = 'Safari12';

  static createFactory(options: HandlerFactoryOptions = {}): HandlerFactory {
    return createUnifiedPlanFactory(Safari12, options);
  }

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
