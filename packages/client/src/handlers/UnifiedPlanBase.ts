import debug from 'debug';
import { type MediaDescription, parse, type SessionDescription, write } from 'sdp-transform';
import { EnhancedEventEmitter } from '../enhancedEvents.js';
import { InvalidStateError, UnsupportedError } from '../errors.js';
import {
  getSendingRemoteRtpParameters,
  getSendingRtpParameters,
  reduceCodecs,
} from '../ortc/index.js';
import type {
  MediaKind,
  RtpCapabilities,
  RtpCodecParameters,
  RtpEncodingParameters,
} from '../RtpParameters.js';
import type { DtlsRole, IceParameters } from '../TransportParameters.js';
import {
  type HandlerForcedRtpExtensions,
  HandlerInterface,
  type HandlerOptions,
  type HandlerReceiveDataChannelOptions,
  type HandlerReceiveDataChannelResult,
  type HandlerReceiveOptions,
  type HandlerReceiveResult,
  type HandlerRemoteParameters,
  type HandlerSendDataChannelOptions,
  type HandlerSendDataChannelResult,
  type HandlerSendOptions,
  type HandlerSendResult,
} from './HandlerInterface.js';
import { applyForcedRtpExtensions, nativeCapabilitiesFromSdp } from './nativeCapabilities.js';
import { type PeerConnectionEnvironment, watchPeerConnection } from './peerConnection.js';
import { SctpAssociation } from './SctpAssociation.js';
import { applyCodecOptions, applyCodecParameters } from './sdp/codecParameters.js';
import { extractDtlsParameters, getCname } from './sdp/dtlsParameters.js';
import { RemoteSdp } from './sdp/RemoteSdp.js';
import { addNackSupportForOpus } from './sdp/rtpCapabilities.js';
import { getRtpEncodings } from './sdp/rtpEncodings.js';
import type { UnifiedPlanClass } from './unifiedPlanFactory.js';

const logger = debug('vroom:handler');
const warn = debug('vroom:WARN:handler');

/** One track of a send batch, as it goes through the offer/answer. */
export type SendItem = {
  options: HandlerSendOptions;
  transceiver: RTCRtpTransceiver;
  /** The encodings given to addTransceiver (rid-stamped for simulcast). */
  sendEncodings: RTCRtpEncodingParameters[] | undefined;
};

/**
 * The unified-plan handler flow, once: one RTCPeerConnection per transport,
 * one transceiver (m-section) per producer or consumer, the remote side
 * played by RemoteSdp. Browsers differ only through the protected hooks and
 * static members below; a browser file overrides those and nothing else.
 */
export abstract class UnifiedPlanBase extends HandlerInterface {
  static readonly handlerName: string = 'UnifiedPlan';

  /** The WebRTC classes to use (Node swaps in @roamhq/wrtc). */
  static environment(): PeerConnectionEnvironment {
    const scope = globalThis as Partial<PeerConnectionEnvironment>;
    if (!scope.RTCPeerConnection || !scope.MediaStream) {
      throw new UnsupportedError('no RTCPeerConnection here: use a browser, or the "Node" handler');
    }
    return scope as PeerConnectionEnvironment;
  }

  /** Loads whatever environment() needs (async; Device.load() calls it first). */
  static async prepareEnvironment(): Promise<void> {}

  /** Transceivers whose offer reveals the native capabilities. */
  static addProbeTransceivers(
    pc: RTCPeerConnection,
    direction: 'sendonly' | 'recvonly',
  ): RTCRtpTransceiver[] {
    return [pc.addTransceiver('audio', { direction }), pc.addTransceiver('video', { direction })];
  }

  /** libwebrtc does Opus NACK without announcing it; others override. */
  static adjustNativeCapabilities(capabilities: RtpCapabilities): void {
    addNackSupportForOpus(capabilities);
  }

  protected readonly direction: 'send' | 'recv';
  protected readonly pc: RTCPeerConnection;
  protected readonly remoteSdp: RemoteSdp;
  protected readonly forcedRtpExtensions: HandlerForcedRtpExtensions | undefined;
  /** Ours when the server fixed its own DTLS role (never 'auto'). */
  protected readonly forcedLocalDtlsRole: DtlsRole | undefined;
  private readonly getSendExtendedRtpCapabilities: HandlerOptions['getSendExtendedRtpCapabilities'];
  private readonly transceivers = new Map<string, RTCRtpTransceiver>();
  private readonly sctp: SctpAssociation;
  /** Default a=msid stream of producers that give no streamId. */
  protected readonly sendStream: MediaStream;
  private readonly unwatch: () => void;
  protected closed = false;
  private transportReady = false;
  private nextRecvMid = 0;
  /**
   * A pipelined join's send transport: settles once the server's parameters
   * arrived and the answer that waited for them is set. Until then
   * `answerDue` is false, true once an offer was set without its answer.
   */
  private remote: Promise<void> | undefined;
  private answerDue: boolean | undefined;

  constructor(options: HandlerOptions) {
    super();
    const statics = this.constructor as UnifiedPlanClass;
    const { RTCPeerConnection, MediaStream } = statics.environment();
    this.direction = options.direction;
    this.getSendExtendedRtpCapabilities = options.getSendExtendedRtpCapabilities;
    this.forcedRtpExtensions = options.forcedRtpExtensions;
    const serverRole = options.dtlsParameters?.role;
    if (serverRole && serverRole !== 'auto') {
      this.forcedLocalDtlsRole = serverRole === 'server' ? 'client' : 'server';
    }
    this.remoteSdp = new RemoteSdp(options);
    this.pc = new RTCPeerConnection({
      iceServers: options.iceServers ?? [],
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
      ...options.additionalSettings,
    });
    this.sendStream = new MediaStream();
    this.sctp = new SctpAssociation({
      pc: this.pc,
      remoteSdp: this.remoteSdp,
      sctpParameters: options.sctpParameters,
      ensureTransport: async (localSdp) => {
        if (!this.transportReady) await this.setupTransport(localSdp);
      },
    });
    this.unwatch = watchPeerConnection(this.pc, (event, value) => this.emit(event, value as never));
    if (options.remote) {
      this.answerDue = false;
      this.remote = options.remote.then((remote) => this.applyRemote(remote));
      // Whoever waits on it sees the failure; the transport reports 'failed'.
      this.remote.catch(() => this.emit('@connectionstatechange', 'failed'));
    }
  }

  /** The server's half of a pipelined send transport: the answer that waited for it goes now. */
  private async applyRemote(remote: HandlerRemoteParameters): Promise<void> {
    this.remoteSdp.setTransport(remote);
    this.sctp.context.sctpParameters = remote.sctpParameters;
    const due = this.answerDue;
    this.answerDue = undefined;
    if (due) await this.pc.setRemoteDescription({ type: 'answer', sdp: this.remoteSdp.getSdp() });
  }

  get name(): string {
    return (this.constructor as UnifiedPlanClass).handlerName;
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.pc.close();
    } catch (error) {
      warn('close() | pc.close() failed: %o', error);
    }
    this.unwatch();
    this.emit('@close');
    // HandlerInterface re-declares close() abstract: call the emitter's own.
    EnhancedEventEmitter.prototype.close.call(this);
  }

  async updateIceServers(iceServers: RTCIceServer[]): Promise<void> {
    this.assertOpen();
    if (typeof this.pc.setConfiguration !== 'function') {
      throw new UnsupportedError(
        `${this.name} cannot change ICE servers of a live transport: create a new transport`,
      );
    }
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
  }

  async restartIce(iceParameters: IceParameters): Promise<void> {
    this.assertOpen();
    this.remoteSdp.updateIceParameters(iceParameters);
    // Not connected yet: the first negotiation will carry the new parameters.
    if (!this.transportReady) return;
    if (this.direction === 'send') await this.reoffer({ iceRestart: true });
    else await this.reanswer();
  }

  async getTransportStats(): Promise<RTCStatsReport> {
    this.assertOpen();
    return this.pc.getStats();
  }

  // ---- sending --------------------------------------------------------------

  async send(options: HandlerSendOptions): Promise<HandlerSendResult> {
    return (await this.sendMany([options]))[0] as HandlerSendResult;
  }

  /** Adds every track with one offer/answer; all-or-nothing (see HandlerInterface). */
  override async sendMany(optionsList: HandlerSendOptions[]): Promise<HandlerSendResult[]> {
    this.assertOpen('send');
    if (optionsList.length === 0) return [];
    if (this.answerDue) await this.remote;
    const knownMids = this.remoteSdp.mids;
    const items: SendItem[] = optionsList.map((options) => this.addSendTransceiver(options));
    const restoreRemote = this.remoteSdp.snapshot();
    let localDescriptionSet = false;
    try {
      const localSdp = parse((await this.pc.createOffer()).sdp ?? '');
      if (localSdp.extmapAllowMixed) this.remoteSdp.setExtmapAllowMixed();
      const extended = this.getSendExtendedRtpCapabilities(this.localCapabilities(localSdp));
      // The offer's new m-sections, one per transceiver added, in order.
      const fresh = localSdp.media.flatMap((media, offerIndex) =>
        media.type === 'application' || knownMids.includes(String(media.mid))
          ? []
          : [{ media, offerIndex }],
      );
      if (fresh.length !== items.length) {
        throw new Error(`offer has ${fresh.length} new m-sections for ${items.length} tracks`);
      }
      const results = items.map((item, i) => {
        const { media, offerIndex } = fresh[i] as (typeof fresh)[number];
        const { track, codec, codecOptions } = item.options;
        const kind = track.kind as MediaKind;
        const sending = getSendingRtpParameters(kind, extended);
        sending.codecs = reduceCodecs(sending.codecs, codec);
        const answer = getSendingRemoteRtpParameters(kind, extended);
        answer.codecs = reduceCodecs(answer.codecs, codec);
        this.mungeSendOffer(media, item, sending.codecs);
        const mid = String(media.mid);
        // Only extensions this m-section offered can be negotiated for it.
        const offered = new Set((media.ext ?? []).map((ext) => ext.uri));
        Object.assign(sending, {
          mid,
          msid: `${item.options.streamId ?? this.sendStream.id} ${track.id}`,
          // No `mux`: mediasoup-client 3.24.1 leaves it unset (rtcp-mux is always
          // required here), and the e2e parity spec compares these parameters with it.
          rtcp: { cname: getCname(media), reducedSize: media.rtcpRsize === 'rtcp-rsize' },
          encodings: this.resolveEncodings(media, item, sending.codecs),
          headerExtensions: (sending.headerExtensions ?? []).filter((ext) => offered.has(ext.uri)),
        });
        applyCodecOptions(sending, answer, codecOptions);
        this.remoteSdp.send({ offerMedia: media, offerIndex, answerRtpParameters: answer });
        return { localId: mid, rtpParameters: sending, rtpSender: item.transceiver.sender };
      });
      if (!this.transportReady) await this.setupTransport(localSdp);
      await this.pc.setLocalDescription({ type: 'offer', sdp: write(localSdp) });
      localDescriptionSet = true;
      // Pipelined join: the RTP parameters go to the server now, the answer when it replies.
      if (this.answerDue === false) this.answerDue = true;
      else await this.pc.setRemoteDescription({ type: 'answer', sdp: this.remoteSdp.getSdp() });
      results.forEach((result, i) => {
        this.transceivers.set(result.localId, (items[i] as SendItem).transceiver);
      });
      return results;
    } catch (error) {
      await this.rollBackSend(items, localDescriptionSet, restoreRemote);
      throw error;
    }
  }

  async stopSending(localId: string): Promise<void> {
    this.assertDirection('send');
    if (this.closed) return;
    const transceiver = this.transceiver(localId);
    void transceiver.sender.replaceTrack(null);
    this.pc.removeTrack(transceiver.sender);
    if (this.releaseSendingSection(localId)) {
      try {
        transceiver.stop();
      } catch (error) {
        warn('stopSending() | transceiver.stop() failed: %o', error);
      }
    }
    await this.reoffer();
    this.transceivers.delete(localId);
  }

  async pauseSending(localId: string): Promise<void> {
    await this.setSending(localId, false);
  }

  async resumeSending(localId: string): Promise<void> {
    await this.setSending(localId, true);
  }

  async replaceTrack(localId: string, track: MediaStreamTrack | null): Promise<void> {
    this.assertOpen('send');
    await this.transceiver(localId).sender.replaceTrack(track);
  }

  async setMaxSpatialLayer(localId: string, spatialLayer: number): Promise<void> {
    await this.updateEncodings(localId, (encoding, idx) => ({
      ...encoding,
      active: idx <= spatialLayer,
    }));
  }

  async setRtpEncodingParameters(
    localId: string,
    params: Partial<RTCRtpEncodingParameters>,
  ): Promise<void> {
    await this.updateEncodings(localId, (encoding) => ({ ...encoding, ...params }));
  }

  async getSenderStats(localId: string): Promise<RTCStatsReport> {
    this.assertOpen('send');
    return this.rtpStats(this.transceiver(localId).sender);
  }

  async sendDataChannel(
    options: HandlerSendDataChannelOptions,
  ): Promise<HandlerSendDataChannelResult> {
    this.assertOpen('send');
    // Renegotiations wait for a pipelined transport's first answer.
    await this.remote;
    return this.sctp.send(options);
  }

  // ---- receiving ------------------------------------------------------------

  async receive(optionsList: HandlerReceiveOptions[]): Promise<HandlerReceiveResult[]> {
    this.assertOpen('recv');
    if (optionsList.length === 0) return [];
    const restoreRemote = this.remoteSdp.snapshot();
    try {
      return await this.receiveBatch(optionsList);
    } catch (error) {
      // Without this, the refused sections stay in every later offer and the
      // browser refuses those too: one bad consumer would end all receiving.
      await this.rollBackReceive(restoreRemote);
      throw error;
    }
  }

  private async receiveBatch(
    optionsList: HandlerReceiveOptions[],
  ): Promise<HandlerReceiveResult[]> {
    const mids = optionsList.map(({ kind, rtpParameters, streamId, trackId }) => {
      const mid = rtpParameters.mid ?? `r${this.nextRecvMid++}`;
      const [msidStream] = (rtpParameters.msid ?? '').split(' ');
      // The consumer id becomes the track id; the stream id groups tracks for lip sync.
      this.remoteSdp.receive({
        mid,
        kind,
        offerRtpParameters: rtpParameters,
        streamId: streamId ?? (msidStream || rtpParameters.rtcp?.cname || '-'),
        trackId,
      });
      return mid;
    });
    await this.pc.setRemoteDescription({ type: 'offer', sdp: this.remoteSdp.getSdp() });
    const transceivers = mids.map((mid, i) => {
      const transceiver = this.pc.getTransceivers().find((t) => t.mid === mid);
      if (!transceiver) throw new Error(`no transceiver for remote m-section ${mid}`);
      applyForcedRtpExtensions(transceiver, this.forcedRtpExtensions);
      optionsList[i]?.onRtpReceiver?.(transceiver.receiver);
      return transceiver;
    });
    const localSdp = parse((await this.pc.createAnswer()).sdp ?? '');
    for (const media of localSdp.media) {
      const options = optionsList[mids.indexOf(String(media.mid))];
      if (options) applyCodecParameters(options.rtpParameters, media);
    }
    if (!this.transportReady) await this.setupTransport(localSdp);
    await this.pc.setLocalDescription({ type: 'answer', sdp: write(localSdp) });
    return transceivers.map((transceiver, i) => {
      const localId = mids[i] as string;
      this.transceivers.set(localId, transceiver);
      return { localId, track: transceiver.receiver.track, rtpReceiver: transceiver.receiver };
    });
  }

  async stopReceiving(localIds: string[]): Promise<void> {
    this.assertDirection('recv');
    if (this.closed) return;
    for (const localId of localIds) {
      this.transceiver(localId);
      this.remoteSdp.closeSection(localId);
    }
    await this.reanswer();
    for (const localId of localIds) this.transceivers.delete(localId);
  }

  async pauseReceiving(localIds: string[]): Promise<void> {
    await this.setReceiving(localIds, false);
  }

  async resumeReceiving(localIds: string[]): Promise<void> {
    await this.setReceiving(localIds, true);
  }

  async getReceiverStats(localId: string): Promise<RTCStatsReport> {
    this.assertOpen('recv');
    return this.rtpStats(this.transceiver(localId).receiver);
  }

  /** The stats of one sender or receiver (Node's wrtc needs another way: see Node). */
  protected rtpStats(endpoint: RTCRtpSender | RTCRtpReceiver): Promise<RTCStatsReport> {
    return endpoint.getStats();
  }

  async receiveDataChannel(
    options: HandlerReceiveDataChannelOptions,
  ): Promise<HandlerReceiveDataChannelResult> {
    this.assertOpen('recv');
    return this.sctp.receive(options);
  }

  getDataChannelMaxMessageSize(): number | undefined {
    return this.sctp.maxMessageSize(this.direction);
  }

  // ---- hooks for browsers ---------------------------------------------------

  /** The encodings handed to addTransceiver. Default: RIDs r0..rN for simulcast. */
  protected sendEncodingsFor(options: HandlerSendOptions): RTCRtpEncodingParameters[] | undefined {
    const { encodings } = options;
    if (!encodings || encodings.length === 0) return undefined;
    return encodings.map((encoding, idx) => ({
      ...toRtcEncoding(encoding),
      ...(encodings.length > 1 ? { rid: `r${idx}` } : {}),
    }));
  }

  /** Called once per new transceiver before the offer (codec preferences...). */
  protected configureSendTransceiver(_item: SendItem): void {}

  /** Edits a new m-section of the local offer before it is applied (legacy simulcast...). */
  protected mungeSendOffer(
    _media: MediaDescription,
    _item: SendItem,
    _codecs: RtpCodecParameters[],
  ): void {}

  /**
   * The producer's encodings: what the offer signals (SSRCs or RIDs), each
   * completed with the matching given encoding (by position).
   */
  protected resolveEncodings(
    media: MediaDescription,
    item: SendItem,
    codecs: RtpCodecParameters[],
  ): RtpEncodingParameters[] {
    const signalled = getRtpEncodings(media, codecs);
    const given = item.options.encodings ?? [];
    return signalled.map((encoding, idx) => ({ ...given[idx], ...encoding }));
  }

  /** Our DTLS role when we connect first (mediasoup is ICE-lite: the client side suits). */
  protected localDtlsRole(): DtlsRole {
    return this.forcedLocalDtlsRole ?? 'client';
  }

  /**
   * Frees a stopped producer's m-section: closed (recyclable) by default.
   * Returns whether it was closed, so the transceiver may be stopped.
   */
  protected releaseSendingSection(localId: string): boolean {
    return this.remoteSdp.closeSection(localId);
  }

  // ---- internals -------------------------------------------------------------

  private addSendTransceiver(options: HandlerSendOptions): SendItem {
    const sendEncodings = this.sendEncodingsFor(options);
    const transceiver = this.pc.addTransceiver(options.track, {
      direction: 'sendonly',
      streams: [this.sendStream],
      ...(sendEncodings ? { sendEncodings } : {}),
    });
    applyForcedRtpExtensions(transceiver, this.forcedRtpExtensions);
    const item = { options, transceiver, sendEncodings };
    this.configureSendTransceiver(item);
    options.onRtpSender?.(transceiver.sender);
    return item;
  }

  private localCapabilities(localSdp: SessionDescription): RtpCapabilities {
    // The parsed offer as is: writing and re-parsing it cost O(m-sections) per send.
    const capabilities = nativeCapabilitiesFromSdp(localSdp);
    (this.constructor as UnifiedPlanClass).adjustNativeCapabilities(capabilities);
    return capabilities;
  }

  /** Forgets a refused receive batch's sections; undoes its remote offer if it was applied. */
  private async rollBackReceive(restoreRemote: () => void): Promise<void> {
    restoreRemote();
    if (this.pc.signalingState !== 'have-remote-offer') return;
    try {
      await this.pc.setRemoteDescription({ type: 'rollback' });
    } catch (error) {
      warn('receive rollback | could not roll the remote offer back: %o', error);
    }
  }

  /** Undoes a failed send batch so no track of it is left sending. */
  private async rollBackSend(
    items: SendItem[],
    localDescriptionSet: boolean,
    restoreRemote: () => void,
  ): Promise<void> {
    restoreRemote();
    for (const { transceiver } of items) {
      try {
        this.pc.removeTrack(transceiver.sender);
        transceiver.stop();
      } catch (error) {
        warn('send rollback | could not stop transceiver: %o', error);
      }
    }
    if (localDescriptionSet && this.pc.signalingState === 'have-local-offer') {
      try {
        await this.pc.setLocalDescription({ type: 'rollback' });
      } catch (error) {
        warn('send rollback | could not roll the local offer back: %o', error);
      }
    }
  }

  private async updateEncodings(
    localId: string,
    change: (encoding: RTCRtpEncodingParameters, idx: number) => RTCRtpEncodingParameters,
  ): Promise<void> {
    this.assertOpen('send');
    const { sender } = this.transceiver(localId);
    const parameters = sender.getParameters();
    parameters.encodings = parameters.encodings.map(change);
    await sender.setParameters(parameters);
    this.remoteSdp.muxSimulcast(localId, parameters.encodings);
    await this.reoffer();
  }

  private async setSending(localId: string, sending: boolean): Promise<void> {
    this.assertOpen('send');
    this.transceiver(localId).direction = sending ? 'sendonly' : 'inactive';
    this.remoteSdp.setSectionActive(localId, sending);
    await this.reoffer();
  }

  private async setReceiving(localIds: string[], receiving: boolean): Promise<void> {
    this.assertOpen('recv');
    for (const localId of localIds) {
      this.transceiver(localId).direction = receiving ? 'recvonly' : 'inactive';
      this.remoteSdp.setSectionActive(localId, receiving);
    }
    await this.reanswer();
  }

  /** Renegotiates as the offerer (the send side): new offer, then the remote answer. */
  private async reoffer(options?: RTCOfferOptions): Promise<void> {
    // Renegotiations wait for a pipelined transport's first answer.
    await this.remote;
    await this.pc.setLocalDescription(await this.pc.createOffer(options));
    await this.pc.setRemoteDescription({ type: 'answer', sdp: this.remoteSdp.getSdp() });
  }

  /** Renegotiates as the answerer (the receive side): the remote offer, then our answer. */
  private async reanswer(): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: this.remoteSdp.getSdp() });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
  }

  /** First local description: tell the server our DTLS parameters ('@connect'). */
  private async setupTransport(localSdp: SessionDescription): Promise<void> {
    const role = this.localDtlsRole();
    const dtlsParameters = { ...extractDtlsParameters(localSdp), role };
    this.remoteSdp.updateDtlsRole(role === 'client' ? 'server' : 'client');
    logger('%s: connecting transport as DTLS %s', this.name, role);
    await this.safeEmitAsPromise('@connect', { dtlsParameters });
    this.transportReady = true;
  }

  private transceiver(localId: string): RTCRtpTransceiver {
    const transceiver = this.transceivers.get(localId);
    if (!transceiver) throw new Error(`no RTCRtpTransceiver for localId "${localId}"`);
    return transceiver;
  }

  /** Throws unless the handler is open (and, when given, of that direction). */
  protected assertOpen(direction?: 'send' | 'recv'): void {
    if (this.closed) throw new InvalidStateError(`${this.name} handler is closed`);
    if (direction) this.assertDirection(direction);
  }

  private assertDirection(direction: 'send' | 'recv'): void {
    if (this.direction !== direction) {
      throw new InvalidStateError(
        `this method needs a ${direction} transport, not ${this.direction}`,
      );
    }
  }
}

/** The WebRTC fields of a mediasoup encoding (mediasoup-only fields stay out). */
export function toRtcEncoding(encoding: RtpEncodingParameters): RTCRtpEncodingParameters {
  const { ssrc: _ssrc, rtx: _rtx, codecPayloadType: _pt, dtx: _dtx, ...rest } = encoding;
  return rest as RTCRtpEncodingParameters;
}
