import { clone, generateRandomNumber } from '../clone.js';
import { InvalidStateError } from '../errors.js';
import { Logger } from '../Logger.js';
import * as ortc from '../ortc/index.js';
import type { ExtendedRtpCapabilities, MediaKind, RtpCapabilities } from '../RtpParameters.js';
import type {
  ConnectionState,
  DtlsParameters,
  IceGatheringState,
  IceParameters,
} from '../TransportParameters.js';
import { FakeDataChannel } from './FakeDataChannel.js';
import { FakeMediaStreamTrack } from './FakeMediaStreamTrack.js';
import {
  type HandlerFactory,
  HandlerInterface,
  type HandlerOptions,
  type HandlerReceiveDataChannelOptions,
  type HandlerReceiveDataChannelResult,
  type HandlerReceiveOptions,
  type HandlerReceiveResult,
  type HandlerSendDataChannelOptions,
  type HandlerSendDataChannelResult,
  type HandlerSendOptions,
  type HandlerSendResult,
} from './HandlerInterface.js';

/** Where FakeHandler gets its "native" capabilities and DTLS parameters (see testFakeParameters). */
export type FakeParameters = {
  generateNativeRtpCapabilities: () => RtpCapabilities;
  generateLocalDtlsParameters: () => DtlsParameters;
};

const logger = new Logger('FakeHandler');

/**
 * A handler without WebRTC: it computes RTP parameters as a browser would,
 * fires '@connect' on first use and hands out fake tracks and data channels,
 * so apps can test their signaling with Device/Transport in Node.
 * `setConnectionState()` / `setIceGatheringState()` play network events.
 */
export class FakeHandler extends HandlerInterface {
  private _closed = false;
  private readonly _fakeParameters: FakeParameters;
  private readonly _getSendExtendedRtpCapabilities: (
    native: RtpCapabilities,
  ) => ExtendedRtpCapabilities;
  private _maxMessageSize: number | undefined;
  private readonly _cname = `CNAME-${generateRandomNumber()}`;
  private _transportReady: Promise<void> | undefined;
  private _nextLocalId = 1;
  private _nextSctpStreamId = 0;
  /**
   * Plays a network that works: once '@connect' is answered (and after each
   * ICE restart) the state goes 'connecting' then 'connected', as a browser's
   * does, so watchdogs waiting for 'connected' stay quiet. Set it to false
   * before first use to play a network where every ICE candidate fails
   * (the state then moves only through `setConnectionState()`).
   */
  autoConnect = true;
  /** Live senders and receivers by local id. */
  readonly tracks = new Map<string, MediaStreamTrack | null>();

  static createFactory(fakeParameters: FakeParameters): HandlerFactory {
    return {
      name: 'FakeHandler',
      factory: (options) => new FakeHandler(options, fakeParameters),
      getNativeRtpCapabilities: async () => fakeParameters.generateNativeRtpCapabilities(),
    };
  }

  private constructor(options: HandlerOptions, fakeParameters: FakeParameters) {
    super();
    logger.debug('constructor() [direction:%s]', options.direction);
    this._fakeParameters = fakeParameters;
    this._getSendExtendedRtpCapabilities = options.getSendExtendedRtpCapabilities;
    const sctp = (parameters: HandlerOptions) => {
      this._maxMessageSize =
        parameters.sctpParameters?.maxSendMessageSize ?? parameters.sctpParameters?.maxMessageSize;
    };
    sctp(options);
    // A pipelined join's transport learns them from the server's answer.
    options.remote?.then(
      (remote) => sctp({ ...options, ...remote }),
      () => undefined,
    );
  }

  get name(): string {
    return 'FakeHandler';
  }

  override close(): void {
    this._closed = true;
  }

  setIceGatheringState(state: IceGatheringState): void {
    this.emit('@icegatheringstatechange', state);
  }

  setConnectionState(state: ConnectionState): void {
    this.emit('@connectionstatechange', state);
  }

  async updateIceServers(_iceServers: RTCIceServer[]): Promise<void> {
    this.assertOpen();
  }

  async restartIce(_iceParameters: IceParameters): Promise<void> {
    this.assertOpen();
    if (this._transportReady) await this._transportReady.then(() => this.playConnected());
  }

  async getTransportStats(): Promise<RTCStatsReport> {
    this.assertOpen();
    return new Map() as unknown as RTCStatsReport;
  }

  async send(options: HandlerSendOptions): Promise<HandlerSendResult> {
    const [result] = await this.sendTracks([options]);
    return result as HandlerSendResult;
  }

  /** Every track "in one renegotiation": all results, or an error and no sender added. */
  override async sendMany(optionsList: HandlerSendOptions[]): Promise<HandlerSendResult[]> {
    return this.sendTracks(optionsList);
  }

  private async sendTracks(optionsList: HandlerSendOptions[]): Promise<HandlerSendResult[]> {
    this.assertOpen();
    await this.setupTransport('server');
    const extended = this._getSendExtendedRtpCapabilities(
      this._fakeParameters.generateNativeRtpCapabilities(),
    );
    // Compute everything first so that a bad option adds no sender at all.
    const results = optionsList.map(({ track, encodings, codec }) => {
      const rtpParameters = clone(ortc.getSendingRtpParameters(track.kind as MediaKind, extended));
      rtpParameters.codecs = ortc.reduceCodecs(rtpParameters.codecs, codec);
      const withRtx = rtpParameters.codecs.some((c) => /.+\/rtx$/i.test(c.mimeType));
      rtpParameters.mid = `mid-${generateRandomNumber()}`;
      rtpParameters.encodings = (encodings && encodings.length > 0 ? clone(encodings) : [{}]).map(
        (encoding) => {
          const ssrc = generateRandomNumber();
          return withRtx ? { ...encoding, ssrc, rtx: { ssrc: ssrc + 1 } } : { ...encoding, ssrc };
        },
      );
      rtpParameters.rtcp = { cname: this._cname, reducedSize: true, mux: true };
      return { track, rtpParameters };
    });
    return results.map(({ track, rtpParameters }) => {
      const localId = String(this._nextLocalId++);
      this.tracks.set(localId, track);
      return { localId, rtpParameters };
    });
  }

  async stopSending(localId: string): Promise<void> {
    this.assertOpen();
    this.forget(localId);
  }

  async pauseSending(localId: string): Promise<void> {
    this.assertKnown(localId);
  }

  async resumeSending(localId: string): Promise<void> {
    this.assertKnown(localId);
  }

  async replaceTrack(localId: string, track: MediaStreamTrack | null): Promise<void> {
    this.assertKnown(localId);
    this.tracks.set(localId, track);
  }

  async setMaxSpatialLayer(localId: string, _spatialLayer: number): Promise<void> {
    this.assertKnown(localId);
  }

  async setRtpEncodingParameters(
    localId: string,
    _params: Partial<RTCRtpEncodingParameters>,
  ): Promise<void> {
    this.assertKnown(localId);
  }

  async getSenderStats(localId: string): Promise<RTCStatsReport> {
    this.assertKnown(localId);
    return new Map() as unknown as RTCStatsReport;
  }

  async sendDataChannel({
    sctpStreamParameters,
  }: HandlerSendDataChannelOptions): Promise<HandlerSendDataChannelResult> {
    this.assertOpen();
    await this.setupTransport('server');
    const streamId = this._nextSctpStreamId++;
    const dataChannel = new FakeDataChannel({ id: streamId, ...sctpStreamParameters });
    return {
      dataChannel: dataChannel.asDataChannel(),
      sctpStreamParameters: { ...sctpStreamParameters, streamId },
    };
  }

  async receive(optionsList: HandlerReceiveOptions[]): Promise<HandlerReceiveResult[]> {
    this.assertOpen();
    await this.setupTransport('client');
    return optionsList.map(({ trackId, kind }) => {
      const localId = String(this._nextLocalId++);
      const track = new FakeMediaStreamTrack({ kind, id: trackId }).asTrack();
      this.tracks.set(localId, track);
      return { localId, track };
    });
  }

  async stopReceiving(localIds: string[]): Promise<void> {
    this.assertOpen();
    for (const localId of localIds) this.forget(localId);
  }

  async pauseReceiving(localIds: string[]): Promise<void> {
    for (const localId of localIds) this.assertKnown(localId);
  }

  async resumeReceiving(localIds: string[]): Promise<void> {
    for (const localId of localIds) this.assertKnown(localId);
  }

  async getReceiverStats(localId: string): Promise<RTCStatsReport> {
    this.assertKnown(localId);
    return new Map() as unknown as RTCStatsReport;
  }

  async receiveDataChannel({
    sctpStreamParameters,
    label,
    protocol,
  }: HandlerReceiveDataChannelOptions): Promise<HandlerReceiveDataChannelResult> {
    this.assertOpen();
    await this.setupTransport('client');
    const dataChannel = new FakeDataChannel({
      id: sctpStreamParameters.streamId ?? this._nextSctpStreamId++,
      ordered: sctpStreamParameters.ordered,
      maxPacketLifeTime: sctpStreamParameters.maxPacketLifeTime,
      maxRetransmits: sctpStreamParameters.maxRetransmits,
      label,
      protocol,
    });
    return { dataChannel: dataChannel.asDataChannel() };
  }

  getDataChannelMaxMessageSize(): number | undefined {
    return this._maxMessageSize;
  }

  /** The first operation "connects": '@connect' goes out once, as with DTLS in a browser. */
  private setupTransport(localDtlsRole: 'client' | 'server'): Promise<void> {
    this._transportReady ??= new Promise<void>((resolve, reject) => {
      const dtlsParameters = {
        ...this._fakeParameters.generateLocalDtlsParameters(),
        role: localDtlsRole,
      };
      this.emit('@connect', { dtlsParameters }, resolve, reject);
    })
      .then(() => this.playConnected())
      .catch((error: unknown) => {
        // A failed connect may be retried by the next operation.
        this._transportReady = undefined;
        throw error;
      });
    return this._transportReady;
  }

  private playConnected(): void {
    if (!this.autoConnect || this._closed) return;
    this.setConnectionState('connecting');
    this.setConnectionState('connected');
  }

  private forget(localId: string): void {
    if (!this.tracks.delete(localId))
      throw new Error(`no sender or receiver with localId "${localId}"`);
  }

  private assertKnown(localId: string): void {
    this.assertOpen();
    if (!this.tracks.has(localId))
      throw new Error(`no sender or receiver with localId "${localId}"`);
  }

  private assertOpen(): void {
    if (this._closed) throw new InvalidStateError('FakeHandler closed');
  }
}
