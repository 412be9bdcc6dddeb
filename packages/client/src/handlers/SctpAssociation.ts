import { parse, type SessionDescription, write } from 'sdp-transform';
import { UnsupportedError } from '../errors.js';
import type { SctpParameters } from '../SctpParameters.js';
import type {
  HandlerReceiveDataChannelOptions,
  HandlerReceiveDataChannelResult,
  HandlerSendDataChannelOptions,
  HandlerSendDataChannelResult,
} from './HandlerInterface.js';
import type { RemoteSdp } from './sdp/RemoteSdp.js';

/** What the data channels need from the handler that owns the peer connection. */
export type SctpAssociationContext = {
  pc: RTCPeerConnection;
  remoteSdp: RemoteSdp;
  /** The transport's SCTP parameters; undefined when it was created without SCTP. */
  sctpParameters: SctpParameters | undefined;
  /** Connects the transport on the first local description ('@connect'); no-op later. */
  ensureTransport(localSdp: SessionDescription): Promise<void>;
};

/**
 * The data channels of one transport: negotiated channels (fixed stream ids,
 * as mediasoup assigns them) over one SCTP association, whose m=application
 * section is negotiated once, with the first channel.
 */
export class SctpAssociation {
  readonly context: SctpAssociationContext;
  private negotiated = false;
  private nextStreamId = 0;

  constructor(context: SctpAssociationContext) {
    this.context = context;
  }

  /** A channel we send on: we pick the stream id and offer the association. */
  async send({
    sctpStreamParameters,
  }: HandlerSendDataChannelOptions): Promise<HandlerSendDataChannelResult> {
    this.assertSctp();
    const { pc, remoteSdp } = this.context;
    const init: RTCDataChannelInit = {
      negotiated: true,
      id: this.nextStreamId,
      ...definedOnly({
        ordered: sctpStreamParameters.ordered,
        maxPacketLifeTime: sctpStreamParameters.maxPacketLifeTime,
        maxRetransmits: sctpStreamParameters.maxRetransmits,
        protocol: sctpStreamParameters.protocol,
      }),
    };
    const dataChannel = pc.createDataChannel(sctpStreamParameters.label ?? '', init);
    this.nextStreamId = (this.nextStreamId + 1) % (pc.sctp?.maxChannels ?? 65535);
    if (!this.negotiated) {
      const offer = await pc.createOffer();
      const localSdp = parse(offer.sdp ?? '');
      const offerMedia = localSdp.media.find((media) => media.type === 'application');
      if (!offerMedia) throw new Error('local offer has no m=application section');
      await this.context.ensureTransport(localSdp);
      await pc.setLocalDescription(offer);
      remoteSdp.sendSctp(offerMedia);
      await pc.setRemoteDescription({ type: 'answer', sdp: remoteSdp.getSdp() });
      this.negotiated = true;
    }
    return {
      dataChannel,
      sctpStreamParameters: {
        streamId: init.id as number,
        ...definedOnly({
          ordered: init.ordered,
          maxPacketLifeTime: init.maxPacketLifeTime,
          maxRetransmits: init.maxRetransmits,
        }),
      },
    };
  }

  /** A channel the server sends on: its stream id, and the server offers the association. */
  async receive(
    options: HandlerReceiveDataChannelOptions,
  ): Promise<HandlerReceiveDataChannelResult> {
    this.assertSctp();
    const { pc, remoteSdp } = this.context;
    const { sctpStreamParameters: stream } = options;
    // Transport.consumeData() validated the stream parameters (streamId included).
    const dataChannel = pc.createDataChannel(options.label ?? '', {
      negotiated: true,
      ...definedOnly({
        id: stream.streamId,
        ordered: stream.ordered,
        maxPacketLifeTime: stream.maxPacketLifeTime,
        maxRetransmits: stream.maxRetransmits,
        protocol: options.protocol,
      }),
    });
    if (!this.negotiated) {
      remoteSdp.receiveSctp();
      await pc.setRemoteDescription({ type: 'offer', sdp: remoteSdp.getSdp() });
      const answer = await pc.createAnswer();
      const localSdp = parse(answer.sdp ?? '');
      const media = localSdp.media.find((m) => m.type === 'application');
      if (media && typeof options.maxMessageSize === 'number') {
        media.maxMessageSize = options.maxMessageSize;
      }
      await this.context.ensureTransport(localSdp);
      await pc.setLocalDescription({ type: 'answer', sdp: write(localSdp) });
      this.negotiated = true;
    }
    return { dataChannel };
  }

  maxMessageSize(direction: 'send' | 'recv'): number | undefined {
    if (direction === 'send') return this.context.pc.sctp?.maxMessageSize;
    // What the server may send us is what it announced it can send.
    const { sctpParameters } = this.context;
    return sctpParameters?.maxSendMessageSize ?? sctpParameters?.maxMessageSize;
  }

  private assertSctp(): void {
    if (!this.context.sctpParameters) {
      throw new UnsupportedError('no SCTP: create the transport with enableSctp');
    }
  }
}

/** Drops undefined values (exactOptionalPropertyTypes forbids passing them). */
function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
