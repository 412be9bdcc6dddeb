import type { MediaDescription } from 'sdp-transform';
import { UnsupportedError } from '../errors.js';
import type {
  RtpCapabilities,
  RtpCodecParameters,
  RtpEncodingParameters,
} from '../RtpParameters.js';
import type { DtlsRole } from '../TransportParameters.js';
import type { HandlerFactory, HandlerFactoryOptions } from './HandlerInterface.js';
import { markSimulcastTemporalLayers } from './simulcastLayers.js';
import { type SendItem, UnifiedPlanBase } from './UnifiedPlanBase.js';
import { createUnifiedPlanFactory } from './unifiedPlanFactory.js';

/**
 * Firefox 120+. Differences from libwebrtc: no hidden Opus NACK, the RID
 * extensions only appear in an offer with a real simulcast video track, it
 * ignores ICE-lite when picking its DTLS role (so it always connects as DTLS
 * client), and it does not reliably recycle a rejected m-section for a new
 * transceiver, so stopped producers' sections are disabled, never closed.
 */
export class Firefox120 extends UnifiedPlanBase {
  static override readonly handlerName: string = 'Firefox120';

  static createFactory(options: HandlerFactoryOptions = {}): HandlerFactory {
    return createUnifiedPlanFactory(Firefox120, options);
  }

  static override addProbeTransceivers(
    pc: RTCPeerConnection,
    direction: 'sendonly' | 'recvonly',
  ): RTCRtpTransceiver[] {
    const audio = pc.addTransceiver('audio', { direction });
    // A canvas track with two RIDs makes Firefox offer the rtp-stream-id extensions.
    const canvas = document.createElement('canvas');
    canvas.getContext('2d');
    const track = canvas.captureStream().getVideoTracks()[0];
    const video = track
      ? pc.addTransceiver(track, {
          direction,
          sendEncodings: [
            { rid: 'r0', maxBitrate: 100000 },
            { rid: 'r1', maxBitrate: 500000 },
          ],
        })
      : pc.addTransceiver('video', { direction });
    track?.stop();
    return [audio, video];
  }

  /** Firefox announces exactly what it does. */
  static override adjustNativeCapabilities(_capabilities: RtpCapabilities): void {}

  /**
   * Firefox has no RTCPeerConnection.setConfiguration(): ICE servers are
   * fixed for the life of the transport (as in mediasoup-client 3.24).
   */
  override async updateIceServers(_iceServers: RTCIceServer[]): Promise<void> {
    this.assertOpen();
    throw new UnsupportedError(
      `${this.name} cannot change ICE servers of a live transport: create a new transport`,
    );
  }

  protected override localDtlsRole(): DtlsRole {
    return 'client';
  }

  protected override releaseSendingSection(localId: string): boolean {
    this.remoteSdp.disableSection(localId);
    return false;
  }

  protected override resolveEncodings(
    media: MediaDescription,
    item: SendItem,
    codecs: RtpCodecParameters[],
  ): RtpEncodingParameters[] {
    const encodings = super.resolveEncodings(media, item, codecs);
    return markSimulcastTemporalLayers(encodings, codecs, item.options.encodings ?? []);
  }
}
