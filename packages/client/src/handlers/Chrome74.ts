import type { MediaDescription } from 'sdp-transform';
import type { RtpCodecParameters, RtpEncodingParameters } from '../RtpParameters.js';
import { parse as parseScalabilityMode } from '../scalabilityModes.js';
import type { HandlerFactory, HandlerFactoryOptions } from './HandlerInterface.js';
import { addLegacySimulcast } from './sdp/rtpEncodings.js';
import { markSimulcastTemporalLayers } from './simulcastLayers.js';
import { type SendItem, UnifiedPlanBase } from './UnifiedPlanBase.js';
import { createUnifiedPlanFactory } from './unifiedPlanFactory.js';

/** VP9 with several spatial layers in one encoding (k-SVC), which Chrome 74-110 signal as SSRC simulcast. */
function isLegacyVp9Svc(item: SendItem, codecs: readonly RtpCodecParameters[]): boolean {
  const encodings = item.options.encodings ?? [];
  return (
    encodings.length === 1 &&
    parseScalabilityMode(encodings[0]?.scalabilityMode).spatialLayers > 1 &&
    codecs[0]?.mimeType.toLowerCase() === 'video/vp9'
  );
}

/**
 * Chrome 74-110: RID simulcast without scalabilityMode support. VP9 SVC is
 * obtained the old way: several SSRCs in a SIM group tell libwebrtc how many
 * spatial layers to encode, while mediasoup sees one stream.
 */
export class Chrome74 extends UnifiedPlanBase {
  static override readonly handlerName: string = 'Chrome74';

  static createFactory(options: HandlerFactoryOptions = {}): HandlerFactory {
    return createUnifiedPlanFactory(Chrome74, options);
  }

  protected override mungeSendOffer(
    media: MediaDescription,
    item: SendItem,
    codecs: RtpCodecParameters[],
  ): void {
    if (!isLegacyVp9Svc(item, codecs)) return;
    const mode = item.options.encodings?.[0]?.scalabilityMode;
    addLegacySimulcast(media, parseScalabilityMode(mode).spatialLayers);
  }

  protected override resolveEncodings(
    media: MediaDescription,
    item: SendItem,
    codecs: RtpCodecParameters[],
  ): RtpEncodingParameters[] {
    const encodings = super.resolveEncodings(media, item, codecs);
    // The extra SVC SSRCs are libwebrtc's business: mediasoup gets the first.
    if (isLegacyVp9Svc(item, codecs)) return encodings.slice(0, 1);
    return markSimulcastTemporalLayers(encodings, codecs, item.options.encodings ?? []);
  }
}
