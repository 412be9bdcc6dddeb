import { UnsupportedError } from '../errors.js';
import type { HandlerFactory, HandlerFactoryOptions } from './HandlerInterface.js';
import { LegacySimulcastBase } from './LegacySimulcastBase.js';
import type { PeerConnectionEnvironment } from './peerConnection.js';
import { createUnifiedPlanFactory } from './unifiedPlanFactory.js';

/** The part of @roamhq/wrtc (or a compatible module) the handler uses. */
export type WrtcModule = PeerConnectionEnvironment;

export type NodeHandlerFactoryOptions = HandlerFactoryOptions & {
  /** A loaded WebRTC module; when absent @roamhq/wrtc is imported on first use. */
  wrtc?: WrtcModule;
};

// A variable specifier keeps bundlers from pulling the native module into browser builds.
const WRTC_SPECIFIER = '@roamhq/wrtc';
let loaded: WrtcModule | undefined;

async function loadWrtc(): Promise<WrtcModule> {
  if (loaded) return loaded;
  let mod: { default?: WrtcModule } & Partial<WrtcModule>;
  try {
    mod = (await import(/* @vite-ignore */ WRTC_SPECIFIER)) as typeof mod;
  } catch (error) {
    throw new UnsupportedError(
      `the Node handler needs the optional peer dependency @roamhq/wrtc: install it (npm i @roamhq/wrtc) or pass { wrtc } to Node.createFactory() [${String(error)}]`,
    );
  }
  const wrtc = mod.default ?? (mod as WrtcModule);
  if (typeof wrtc.RTCPeerConnection !== 'function') {
    throw new UnsupportedError('@roamhq/wrtc loaded but exports no RTCPeerConnection');
  }
  loaded = wrtc;
  return wrtc;
}

/**
 * The SDK in Node, over @roamhq/wrtc (prebuilt libwebrtc, Chrome-like
 * unified-plan SDP): bots, recorders, load tests. Simulcast is asked for the
 * legacy way (SSRCs in a SIM group), as for Safari: wrtc 0.10 accepts that
 * munged offer (fixtures/node-wrtc-0.10.0.json records it), while its RID
 * simulcast has not been checked against a router.
 */
export class Node extends LegacySimulcastBase {
  static override readonly handlerName: string = 'Node';

  static createFactory(options: NodeHandlerFactoryOptions = {}): HandlerFactory {
    const { wrtc, ...factoryOptions } = options;
    if (wrtc) loaded = wrtc;
    return createUnifiedPlanFactory(Node, factoryOptions);
  }

  /**
   * wrtc 0.10 throws "Not yet implemented" from RTCRtpSender/Receiver
   * getStats(); the selector form of pc.getStats() gives the same subset.
   */
  protected override rtpStats(endpoint: RTCRtpSender | RTCRtpReceiver): Promise<RTCStatsReport> {
    return endpoint.track ? this.pc.getStats(endpoint.track) : this.pc.getStats();
  }

  static override async prepareEnvironment(): Promise<void> {
    await loadWrtc();
  }

  static override environment(): PeerConnectionEnvironment {
    if (!loaded) {
      throw new UnsupportedError(
        '@roamhq/wrtc is not loaded yet: call device.load() first (it loads it), or pass { wrtc } to Node.createFactory()',
      );
    }
    return loaded;
  }
}
