import type { RtpCapabilities } from '../RtpParameters.js';
import type { HandlerFactory, HandlerFactoryOptions, HandlerOptions } from './HandlerInterface.js';
import { applyForcedRtpExtensions, nativeCapabilitiesFromSdp } from './nativeCapabilities.js';
import type { PeerConnectionEnvironment } from './peerConnection.js';
import type { UnifiedPlanBase } from './UnifiedPlanBase.js';

/** The static side every unified-plan handler class has. */
export type UnifiedPlanClass = {
  new (options: HandlerOptions): UnifiedPlanBase;
  readonly handlerName: string;
  environment(): PeerConnectionEnvironment;
  prepareEnvironment(): Promise<void>;
  addProbeTransceivers(
    pc: RTCPeerConnection,
    direction: 'sendonly' | 'recvonly',
  ): RTCRtpTransceiver[];
  adjustNativeCapabilities(capabilities: RtpCapabilities): void;
};

/** Builds the `{ name, factory, getNativeRtpCapabilities }` Device expects. */
export function createUnifiedPlanFactory(
  handlerClass: UnifiedPlanClass,
  { forcedRtpExtensions }: HandlerFactoryOptions = {},
): HandlerFactory {
  return {
    name: handlerClass.handlerName,
    factory: (options) =>
      new handlerClass(forcedRtpExtensions ? { ...options, forcedRtpExtensions } : options),
    getNativeRtpCapabilities: async ({ direction }) => {
      await handlerClass.prepareEnvironment();
      const { RTCPeerConnection } = handlerClass.environment();
      const pc = new RTCPeerConnection({
        iceServers: [],
        iceTransportPolicy: 'all',
        bundlePolicy: 'max-bundle',
        rtcpMuxPolicy: 'require',
      });
      try {
        for (const transceiver of handlerClass.addProbeTransceivers(pc, direction)) {
          applyForcedRtpExtensions(transceiver, forcedRtpExtensions);
        }
        const offer = await pc.createOffer();
        const capabilities = nativeCapabilitiesFromSdp(offer.sdp ?? '');
        handlerClass.adjustNativeCapabilities(capabilities);
        return capabilities;
      } finally {
        pc.close();
      }
    },
  };
}
