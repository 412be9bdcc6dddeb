import type {
  HandlerFactory,
  HandlerFactoryOptions,
  HandlerSendOptions,
} from './HandlerInterface.js';
import { simulcastTemporalLayers } from './simulcastLayers.js';
import { type SendItem, toRtcEncoding, UnifiedPlanBase } from './UnifiedPlanBase.js';
import { createUnifiedPlanFactory, type UnifiedPlanClass } from './unifiedPlanFactory.js';

// TypeScript's DOM types predate scalabilityMode (WebRTC-SVC).
const SVC_PROBE_ENCODING = { scalabilityMode: 'L3T3' } as RTCRtpEncodingParameters;

/**
 * Chromium 111+ (and Edge, Opera...): RID simulcast, `scalabilityMode` per
 * encoding (SVC such as VP9 L3T3 in one stream) and codec preferences.
 */
export class Chrome111 extends UnifiedPlanBase {
  static override readonly handlerName: string = 'Chrome111';

  static createFactory(options: HandlerFactoryOptions = {}): HandlerFactory {
    return createUnifiedPlanFactory(Chrome111, options);
  }

  /** A video transceiver with an SVC mode makes Chromium offer the dependency descriptor. */
  static override addProbeTransceivers(
    pc: RTCPeerConnection,
    direction: 'sendonly' | 'recvonly',
  ): RTCRtpTransceiver[] {
    return [
      pc.addTransceiver('audio', { direction }),
      pc.addTransceiver('video', { direction, sendEncodings: [SVC_PROBE_ENCODING] }),
    ];
  }

  /** Simulcast streams all carry the same temporal layer count (L1Tn). */
  protected override sendEncodingsFor(
    options: HandlerSendOptions,
  ): RTCRtpEncodingParameters[] | undefined {
    const { encodings } = options;
    if (!encodings || encodings.length <= 1) return super.sendEncodingsFor(options);
    const temporal = simulcastTemporalLayers(encodings);
    for (const [idx, encoding] of encodings.entries()) {
      encoding.rid = `r${idx}`;
      encoding.scalabilityMode = `L1T${temporal}`;
    }
    return encodings.map(toRtcEncoding);
  }

  /** The chosen codec goes first in the offer, so the browser encodes with it. */
  protected override configureSendTransceiver({ options, transceiver }: SendItem): void {
    const wanted = options.codec;
    const kind = options.track.kind;
    if (!wanted || typeof transceiver.setCodecPreferences !== 'function') return;
    const { RTCRtpSender: sender } = (this.constructor as UnifiedPlanClass).environment();
    const available = sender?.getCapabilities?.(kind)?.codecs ?? [];
    const matches = (c: RTCRtpCodec) =>
      c.mimeType.toLowerCase() === wanted.mimeType.toLowerCase() &&
      c.clockRate === wanted.clockRate;
    const first = available.filter(matches);
    if (first.length === 0) return;
    transceiver.setCodecPreferences([...first, ...available.filter((c) => !matches(c))]);
  }
}
