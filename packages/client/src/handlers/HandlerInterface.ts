import type { OnRtpReceiverCallback } from '../Consumer.js';
import { EnhancedEventEmitter } from '../enhancedEvents.js';
import type { OnRtpSenderCallback, ProducerCodecOptions } from '../Producer.js';
import type {
  ExtendedRtpCapabilities,
  RtpCapabilities,
  RtpCodecCapability,
  RtpEncodingParameters,
  RtpHeaderExtensionUri,
  RtpParameters,
} from '../RtpParameters.js';
import type { SctpParameters, SctpStreamParameters } from '../SctpParameters.js';
import type {
  ConnectionState,
  DtlsParameters,
  IceCandidate,
  IceGatheringState,
  IceParameters,
} from '../TransportParameters.js';

// The contract between a Transport and the browser (or fake) machinery that
// moves media. Transport never sees SDP: a handler turns these calls into
// offer/answer rounds on one RTCPeerConnection.

export type HandlerFactoryOptions = {
  forcedRtpExtensions?: HandlerForcedRtpExtensions;
};

/** Header extensions to switch on (true) or off (false) whatever the browser defaults to. */
export type HandlerForcedRtpExtensions = {
  [K in RtpHeaderExtensionUri]?: boolean;
};

/** What Device needs from a handler module: its name, a constructor and its native capabilities. */
export type HandlerFactory = {
  name: string;
  factory: (options: HandlerOptions) => HandlerInterface;
  getNativeRtpCapabilities(
    options: HandlerGetNativeRtpCapabilitiesOptions,
  ): Promise<RtpCapabilities>;
};

/** The server's half of a transport. */
export type HandlerRemoteParameters = {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  sctpParameters?: SctpParameters;
};

export type HandlerOptions = Partial<HandlerRemoteParameters> & {
  direction: 'send' | 'recv';
  /**
   * Instead of the fields above: a send transport made before the server
   * answered (a pipelined join). Offers, `@connect` and the RTP parameters of
   * `sendMany` need none of them; the remote answer waits for this.
   */
  remote?: Promise<HandlerRemoteParameters>;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  additionalSettings?: Partial<RTCConfiguration>;
  /**
   * Matches the handler's native sending capabilities against the router's
   * (the handler calls it once it knows what its peer connection offers).
   */
  getSendExtendedRtpCapabilities: (
    nativeSendRtpCapabilities: RtpCapabilities,
  ) => ExtendedRtpCapabilities;
  forcedRtpExtensions?: HandlerForcedRtpExtensions;
};

export type HandlerGetNativeRtpCapabilitiesOptions = {
  direction: Extract<RTCRtpTransceiverDirection, 'sendonly' | 'recvonly'>;
};

export type HandlerSendOptions = {
  track: MediaStreamTrack;
  /**
   * The stream id of the local `a=msid`. Receivers synchronise tracks that
   * share a stream id; when absent all producers of the transport share one.
   */
  streamId?: string;
  encodings?: RtpEncodingParameters[];
  codecOptions?: ProducerCodecOptions;
  /** The codec to send (one of `device.sendRtpCapabilities.codecs`). */
  codec?: RtpCodecCapability;
  onRtpSender?: OnRtpSenderCallback;
};

export type HandlerSendResult = {
  localId: string;
  rtpParameters: RtpParameters;
  rtpSender?: RTCRtpSender;
};

export type HandlerReceiveOptions = {
  trackId: string;
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
  /**
   * The stream id of the remote `a=msid`: receivers try to synchronise
   * tracks with the same one (libwebrtc: one audio with one video at most).
   */
  streamId?: string;
  onRtpReceiver?: OnRtpReceiverCallback;
};

export type HandlerReceiveResult = {
  localId: string;
  track: MediaStreamTrack;
  rtpReceiver?: RTCRtpReceiver;
};

export type HandlerSendDataChannelOptions = {
  sctpStreamParameters: SctpStreamParameters;
};

export type HandlerSendDataChannelResult = {
  dataChannel: RTCDataChannel;
  sctpStreamParameters: SctpStreamParameters;
};

export type HandlerReceiveDataChannelOptions = {
  maxMessageSize?: number;
  sctpStreamParameters: SctpStreamParameters;
  label?: string;
  protocol?: string;
};

export type HandlerReceiveDataChannelResult = {
  dataChannel: RTCDataChannel;
};

export type HandlerEvents = {
  '@close': [];
  '@connect': [{ dtlsParameters: DtlsParameters }, () => void, (error: Error) => void];
  '@icegatheringstatechange': [IceGatheringState];
  '@icecandidateerror': [RTCPeerConnectionIceErrorEvent];
  '@connectionstatechange': [ConnectionState];
};

export abstract class HandlerInterface extends EnhancedEventEmitter<HandlerEvents> {
  abstract get name(): string;

  abstract override close(): void;

  abstract updateIceServers(iceServers: RTCIceServer[]): Promise<void>;

  abstract restartIce(iceParameters: IceParameters): Promise<void>;

  abstract getTransportStats(): Promise<RTCStatsReport>;

  abstract send(options: HandlerSendOptions): Promise<HandlerSendResult>;

  /**
   * Optional (vroom extension): sends every track of `optionsList` with ONE
   * SDP offer/answer and resolves with one result per option, in order.
   * Transport batches `produce()` calls made in the same task through it;
   * handlers without it are driven through `send()` one by one.
   * It must be all-or-nothing: on rejection no track of the batch is left
   * sending, so the caller can retry them one by one.
   */
  sendMany?(optionsList: HandlerSendOptions[]): Promise<HandlerSendResult[]>;

  abstract stopSending(localId: string): Promise<void>;

  abstract pauseSending(localId: string): Promise<void>;

  abstract resumeSending(localId: string): Promise<void>;

  abstract replaceTrack(localId: string, track: MediaStreamTrack | null): Promise<void>;

  abstract setMaxSpatialLayer(localId: string, spatialLayer: number): Promise<void>;

  abstract setRtpEncodingParameters(
    localId: string,
    params: Partial<RTCRtpEncodingParameters>,
  ): Promise<void>;

  abstract getSenderStats(localId: string): Promise<RTCStatsReport>;

  abstract sendDataChannel(
    options: HandlerSendDataChannelOptions,
  ): Promise<HandlerSendDataChannelResult>;

  abstract receive(optionsList: HandlerReceiveOptions[]): Promise<HandlerReceiveResult[]>;

  abstract stopReceiving(localIds: string[]): Promise<void>;

  abstract pauseReceiving(localIds: string[]): Promise<void>;

  abstract resumeReceiving(localIds: string[]): Promise<void>;

  abstract getReceiverStats(localId: string): Promise<RTCStatsReport>;

  abstract receiveDataChannel(
    options: HandlerReceiveDataChannelOptions,
  ): Promise<HandlerReceiveDataChannelResult>;

  abstract getDataChannelMaxMessageSize(): number | undefined;
}
