import { AwaitQueue, AwaitQueueStoppedError } from 'awaitqueue';
import type { Consumer, ConsumerOptions } from './Consumer.js';
import { ConsumerStateBatches } from './ConsumerStateBatches.js';
import { clone } from './clone.js';
import { DataConsumer, type DataConsumerOptions } from './DataConsumer.js';
import { DataProducer, type DataProducerOptions } from './DataProducer.js';
import { EnhancedEventEmitter } from './enhancedEvents.js';
import { InvalidStateError, UnsupportedError } from './errors.js';
import type { HandlerFactory, HandlerInterface } from './handlers/HandlerInterface.js';
import { Logger } from './Logger.js';
import * as ortc from './ortc/index.js';
import type { Producer, ProducerOptions } from './Producer.js';
import { normalizeProduceOptions } from './produceOptions.js';
import { wireProducer } from './producerWiring.js';
import type {
  ExtendedRtpCapabilities,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
} from './RtpParameters.js';
import type { SctpParameters, SctpStreamParameters } from './SctpParameters.js';
import { Deferred, TaskBatcher } from './TaskBatcher.js';
import type {
  ConnectionState,
  DtlsParameters,
  IceCandidate,
  IceGatheringState,
  IceParameters,
} from './TransportParameters.js';
import {
  type ConsumeRequest,
  flushConsumeRequests,
  flushProduceRequests,
  type ProduceRequest,
} from './transportBatches.js';
import type { AppData } from './types.js';

export type {
  ConnectionState,
  DtlsFingerprint,
  DtlsParameters,
  DtlsRole,
  FingerprintAlgorithm,
  IceCandidate,
  IceGatheringState,
  IceParameters,
  PlainRtpParameters,
} from './TransportParameters.js';

export type TransportOptions<TransportAppData extends AppData = AppData> = {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  sctpParameters?: SctpParameters;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  additionalSettings?: Partial<RTCConfiguration>;
  appData?: TransportAppData;
};

/**
 * A send transport made before the server created it (a pipelined join):
 * `id` names it to the server until `remote` brings the server's parameters
 * and real id. Offers and 'connect' / 'produce' events go at once; the
 * remote answer (and any later renegotiation) waits for `remote`.
 */
export type PendingTransportOptions<TransportAppData extends AppData = AppData> = Omit<
  TransportOptions<TransportAppData>,
  'iceParameters' | 'iceCandidates' | 'dtlsParameters' | 'sctpParameters'
> & {
  remote: Promise<
    Pick<
      TransportOptions,
      'id' | 'iceParameters' | 'iceCandidates' | 'dtlsParameters' | 'sctpParameters'
    >
  >;
};

export type CanProduceByKind = {
  audio: boolean;
  video: boolean;
  [key: string]: boolean;
};

export type TransportEvents = {
  connect: [{ dtlsParameters: DtlsParameters }, () => void, (error: Error) => void];
  icegatheringstatechange: [IceGatheringState];
  icecandidateerror: [RTCPeerConnectionIceErrorEvent];
  connectionstatechange: [ConnectionState];
  produce: [
    { kind: MediaKind; rtpParameters: RtpParameters; appData: AppData },
    ({ id }: { id: string }) => void,
    (error: Error) => void,
  ];
  producedata: [
    {
      sctpStreamParameters: SctpStreamParameters;
      label?: string;
      protocol?: string;
      appData: AppData;
    },
    ({ id }: { id: string }) => void,
    (error: Error) => void,
  ];
};

export type TransportObserver = EnhancedEventEmitter<TransportObserverEvents>;

export type TransportObserverEvents = {
  close: [];
  newproducer: [Producer];
  newconsumer: [Consumer];
  newdataproducer: [DataProducer];
  newdataconsumer: [DataConsumer];
};

const logger = new Logger('Transport');

/** What a transport keeps of a member: how to hear it close, and how to close it. */
type Member = Pick<EnhancedEventEmitter<{ '@close': [] }>, 'on'> & { transportClosed(): void };

/**
 * One WebRTC transport to the router, for sending or for receiving. It
 * checks arguments, serialises handler work through one queue, and batches
 * produce()/consume() calls made in the same task into one renegotiation.
 */
export class Transport<
  TransportAppData extends AppData = AppData,
> extends EnhancedEventEmitter<TransportEvents> {
  private _id: string;
  private _closed = false;
  private readonly _direction: 'send' | 'recv';
  private readonly _recvRtpCapabilities: RtpCapabilities;
  private readonly _canProduceByKind: CanProduceByKind;
  private _sctpParameters: SctpParameters | undefined;
  private readonly _handler: HandlerInterface;
  private _iceGatheringState: IceGatheringState = 'new';
  private _connectionState: ConnectionState = 'new';
  private _appData: TransportAppData;
  /** Producers, consumers, data producers and data consumers not closed yet. */
  private readonly _members = new Set<Member>();
  /** Handler operations, one at a time: SDP rounds must never interleave. */
  private readonly _queue = new AwaitQueue();
  /** Settles every promise handed to the app, so close() leaves none hanging. */
  private readonly _inflight = new Set<Deferred<never>>();
  private readonly _produces: TaskBatcher<ProduceRequest>;
  private readonly _consumes: TaskBatcher<ConsumeRequest>;
  private readonly _consumerStates: ConsumerStateBatches;
  /** Whether the probation consumer (bandwidth probing RTP from mediasoup) exists. */
  probatorConsumerCreated = false;
  protected readonly _observer: TransportObserver = new EnhancedEventEmitter();

  constructor({
    id,
    appData,
    handlerFactory,
    recvRtpCapabilities,
    canProduceByKind,
    ...handlerOptions
  }: {
    direction: 'send' | 'recv';
    handlerFactory: HandlerFactory;
    getSendExtendedRtpCapabilities: (
      nativeRtpCapabilities: RtpCapabilities,
    ) => ExtendedRtpCapabilities;
    recvRtpCapabilities: RtpCapabilities;
    canProduceByKind: CanProduceByKind;
  } & (TransportOptions<TransportAppData> | PendingTransportOptions<TransportAppData>)) {
    super();
    logger.debug('constructor() [id:%s, direction:%s]', id, handlerOptions.direction);
    this._id = id;
    this._direction = handlerOptions.direction;
    this._recvRtpCapabilities = recvRtpCapabilities;
    this._canProduceByKind = canProduceByKind;
    this._sctpParameters = (handlerOptions as Partial<TransportOptions>).sctpParameters;
    // The server's id and SCTP parameters, once known (the handler waits on it too).
    (handlerOptions as Partial<PendingTransportOptions>).remote?.then(
      (remote) => {
        this._id = remote.id;
        this._sctpParameters = remote.sctpParameters;
      },
      () => undefined,
    );
    this._appData = appData ?? ({} as TransportAppData);
    // The server's transport parameters and the app's ICE settings, as given.
    this._handler = handlerFactory.factory(handlerOptions);
    const batcher = <T extends { deferred: Deferred<never> }>(
      name: string,
      flush: (requests: T[]) => Promise<void>,
    ) =>
      new TaskBatcher<T>({
        name,
        enqueue: (task, n) => this.enqueue(task, n),
        // Requests close() already rejected are left out.
        flush: async (requests) => {
          const open = requests.filter((request) => !request.deferred.settled);
          if (open.length > 0) await flush(open);
        },
        onError: (error, requests) => this.rejectAll(requests, error),
      });
    this._produces = batcher('produce()', (requests) => this.flushProduces(requests));
    this._consumes = batcher('consume()', (requests) => this.flushConsumes(requests));
    this._consumerStates = new ConsumerStateBatches(this._handler, (task, name) =>
      this.enqueue(task, name),
    );
    this.handleHandler();
  }

  get id(): string {
    return this._id;
  }

  get closed(): boolean {
    return this._closed;
  }

  get direction(): 'send' | 'recv' {
    return this._direction;
  }

  /** The RTC handler (browser specific). Apps should not need it. */
  get handler(): HandlerInterface {
    return this._handler;
  }

  get iceGatheringState(): IceGatheringState {
    return this._iceGatheringState;
  }

  get connectionState(): ConnectionState {
    return this._connectionState;
  }

  get appData(): TransportAppData {
    return this._appData;
  }

  set appData(appData: TransportAppData) {
    this._appData = appData;
  }

  /** Monitoring events (close, newproducer, newconsumer...) for app-wide observers. */
  get observer(): TransportObserver {
    return this._observer;
  }

  /**
   * Closes the transport and everything on it. Pending operations reject
   * with InvalidStateError. The app must also close the server-side transport.
   */
  override close(): void {
    if (this._closed) return;
    this._closed = true;
    // Rejects the running task (its late result is ignored) and the waiting ones.
    this._queue.stop();
    // Batched or being flushed: produce() and consume() requests settle now.
    for (const deferred of this._inflight) {
      deferred.reject(new InvalidStateError('transport closed while the operation was pending'));
    }
    this._inflight.clear();
    this._handler.close();
    this._connectionState = 'closed';
    for (const member of this._members) member.transportClosed();
    this._members.clear();
    this._observer.safeEmit('close');
    super.close();
    this._observer.close();
  }

  /** RTCStatsReport of the whole transport. */
  async getStats(): Promise<RTCStatsReport> {
    this.assertOpen('getStats()');
    return this._handler.getTransportStats();
  }

  /** Restarts ICE with new parameters from the server's `transport.restartIce()`. */
  async restartIce({ iceParameters }: { iceParameters: IceParameters }): Promise<void> {
    this.assertOpen('restartIce()');
    if (!iceParameters || typeof iceParameters !== 'object') {
      throw new TypeError('restartIce() needs { iceParameters }');
    }
    return this.enqueue(() => this._handler.restartIce(iceParameters), 'restartIce()');
  }

  /** Replaces the ICE servers (STUN/TURN) of the transport. */
  async updateIceServers({ iceServers }: { iceServers?: RTCIceServer[] } = {}): Promise<void> {
    this.assertOpen('updateIceServers()');
    if (!Array.isArray(iceServers))
      throw new TypeError('updateIceServers() needs { iceServers: RTCIceServer[] }');
    return this.enqueue(() => this._handler.updateIceServers(iceServers), 'updateIceServers()');
  }

  /**
   * Sends a track. Calls made in the same task share one renegotiation
   * (handler `sendMany`); each still gets its own 'produce' event and result.
   */
  async produce<ProducerAppData extends AppData = AppData>(
    options: ProducerOptions<ProducerAppData> = {},
  ): Promise<Producer<ProducerAppData>> {
    logger.debug('produce() [track:%o]', options.track);
    return this.request(this._produces, {
      deferred: new Deferred(),
      options: this.checkProduceOptions(options),
      track: options.track as MediaStreamTrack,
    });
  }

  /**
   * Receives a server-side consumer. Calls made in the same task share one
   * renegotiation (handler `receive(optionsList)`).
   */
  async consume<ConsumerAppData extends AppData = AppData>(
    options: ConsumerOptions<ConsumerAppData>,
  ): Promise<Consumer<ConsumerAppData>> {
    return this.request(this._consumes, {
      deferred: new Deferred(),
      options,
      rtpParameters: this.checkConsumeOptions(options),
    });
  }

  /** Joins a batch; the promise close() rejects if the batch never settles it. */
  private request<T extends { deferred: Deferred<never> }, R>(
    batcher: TaskBatcher<T>,
    request: T,
  ): Promise<R> {
    const { deferred } = request;
    const forget = () => this._inflight.delete(deferred);
    this._inflight.add(deferred);
    deferred.promise.then(forget, forget);
    batcher.add(request, request);
    return deferred.promise;
  }

  /** Opens a data channel to send messages (needs SCTP on the server-side transport). */
  async produceData<DataProducerAppData extends AppData = AppData>({
    ordered,
    maxPacketLifeTime,
    maxRetransmits,
    label = '',
    protocol = '',
    appData = {} as DataProducerAppData,
  }: DataProducerOptions<DataProducerAppData> = {}): Promise<DataProducer<DataProducerAppData>> {
    this.assertOpen('produceData()', 'send');
    this.assertSctp('produceData()');
    this.assertListener('producedata');
    this.assertConnectListener();
    this.assertAppData(appData);
    const sctpStreamParameters: SctpStreamParameters = {
      ordered: ordered ?? !(maxPacketLifeTime || maxRetransmits),
      ...(maxPacketLifeTime !== undefined && { maxPacketLifeTime }),
      ...(maxRetransmits !== undefined && { maxRetransmits }),
      label,
      protocol,
    };
    // Throws TypeError on contradictions (ordered with a lifetime...).
    ortc.validateAndNormalizeSctpStreamParameters({ ...sctpStreamParameters, streamId: 0 });
    return this.enqueue(async () => {
      const { dataChannel, sctpStreamParameters: params } = await this._handler.sendDataChannel({
        sctpStreamParameters,
      });
      ortc.validateAndNormalizeSctpStreamParameters(params);
      const { id } = await this.safeEmitAsPromise('producedata', {
        sctpStreamParameters: params,
        label,
        protocol,
        appData,
      });
      this.assertOpen('produceData()');
      return this.adopt(
        new DataProducer({ id, dataChannel, sctpStreamParameters: params, appData }),
        'newdataproducer',
      );
    }, 'produceData()');
  }

  /** Opens a data channel receiving a server-side data consumer. */
  async consumeData<DataConsumerAppData extends AppData = AppData>({
    id,
    dataProducerId,
    sctpStreamParameters,
    label = '',
    protocol = '',
    appData = {} as DataConsumerAppData,
  }: DataConsumerOptions<DataConsumerAppData>): Promise<DataConsumer<DataConsumerAppData>> {
    // mediasoup-client's order: state, direction and SCTP before the arguments.
    this.assertOpen('consumeData()', 'recv');
    this.assertSctp('consumeData()');
    if (typeof id !== 'string')
      throw new TypeError('consumeData() needs the server-side data consumer id');
    if (typeof dataProducerId !== 'string')
      throw new TypeError('consumeData() needs the dataProducerId');
    this.assertConnectListener();
    this.assertAppData(appData);
    const params = clone(sctpStreamParameters);
    ortc.validateAndNormalizeSctpStreamParameters(params);
    return this.enqueue(async () => {
      const { dataChannel } = await this._handler.receiveDataChannel({
        sctpStreamParameters: params,
        label,
        protocol,
      });
      this.assertOpen('consumeData()');
      return this.adopt(
        new DataConsumer({
          id,
          dataProducerId,
          dataChannel,
          sctpStreamParameters: params,
          appData,
        }),
        'newdataconsumer',
      );
    }, 'consumeData()');
  }

  /** The largest message a data producer of this transport may send, if known. */
  getDataChannelMaxMessageSize(): number | undefined {
    return this._handler.getDataChannelMaxMessageSize();
  }

  private checkProduceOptions(options: ProducerOptions): ProduceRequest['options'] {
    const { track } = options;
    this.assertOpen('produce()');
    if (!track) throw new TypeError('produce() needs { track }: a MediaStreamTrack');
    this.assertOpen('produce()', 'send');
    if (!this._canProduceByKind[track.kind]) {
      throw new UnsupportedError(
        `cannot produce ${track.kind}: the router has no codec this device can send`,
      );
    }
    if (track.readyState === 'ended') {
      throw new InvalidStateError('track ended: pass a live MediaStreamTrack');
    }
    this.assertConnectListener();
    this.assertListener('produce');
    return normalizeProduceOptions(track, options);
  }

  private checkConsumeOptions(options: ConsumerOptions): RtpParameters {
    const {
      id,
      producerId,
      kind,
      rtpParameters,
      appData = {},
    } = options ?? ({} as ConsumerOptions);
    // mediasoup-client's order: state and direction before the arguments.
    this.assertOpen('consume()', 'recv');
    if (typeof id !== 'string') throw new TypeError('consume() needs the server-side consumer id');
    if (typeof producerId !== 'string') throw new TypeError('consume() needs the producerId');
    if (kind !== 'audio' && kind !== 'video')
      throw new TypeError(`invalid kind "${String(kind)}": use "audio" or "video"`);
    this.assertConnectListener();
    this.assertAppData(appData);
    const params = clone(rtpParameters);
    if (!ortc.canReceive(params, this._recvRtpCapabilities)) {
      throw new UnsupportedError('cannot consume: its codec is not in device.recvRtpCapabilities');
    }
    return params;
  }

  private async flushProduces(requests: ProduceRequest[]): Promise<void> {
    await flushProduceRequests(requests, {
      handler: this._handler,
      isClosed: () => this._closed,
      emitProduce: (data) => this.safeEmitAsPromise('produce', data),
      addProducer: (producer) => {
        this.handleProducer(producer);
        this.adopt(producer, 'newproducer');
      },
    });
  }

  private async flushConsumes(requests: ConsumeRequest[]): Promise<void> {
    await flushConsumeRequests(requests, {
      handler: this._handler,
      isClosed: () => this._closed,
      needsProbator: () => !this.probatorConsumerCreated,
      addConsumer: (consumer, { probator }) => {
        if (probator) this.probatorConsumerCreated = true;
        this.handleConsumer(consumer);
        // The probator is the SDK's own: observers never hear of it.
        this.adopt(consumer, probator ? undefined : 'newconsumer');
      },
    });
  }

  private handleHandler(): void {
    const handler = this._handler;
    handler.on('@connect', ({ dtlsParameters }, callback, errback) => {
      if (this._closed) {
        errback(new InvalidStateError('transport closed'));
        return;
      }
      if (this.listenerCount('connect') === 0) {
        errback(
          new Error('no "connect" listener on the transport: add one that signals the server'),
        );
        return;
      }
      this.safeEmit('connect', { dtlsParameters }, callback, errback);
    });
    handler.on('@icegatheringstatechange', (state) => {
      if (state === this._iceGatheringState) return;
      this._iceGatheringState = state;
      if (!this._closed) this.safeEmit('icegatheringstatechange', state);
    });
    handler.on('@icecandidateerror', (event) => {
      logger.warn('ICE candidate error [url:%s, code:%s]', event.url, event.errorCode);
      this.safeEmit('icecandidateerror', event);
    });
    handler.on('@connectionstatechange', (state) => {
      if (state === this._connectionState) return;
      logger.debug('connection state changed to %s', state);
      this._connectionState = state;
      if (!this._closed) this.safeEmit('connectionstatechange', state);
    });
  }

  private handleProducer(producer: Producer): void {
    wireProducer(producer, {
      handler: this._handler,
      enqueue: (task, name) => this.enqueue(task, name),
      isClosed: () => this._closed,
    });
  }

  private handleConsumer(consumer: Consumer): void {
    consumer.on('@close', () =>
      this._consumerStates.close(consumer, { transportClosed: this._closed }),
    );
    consumer.on('@pause', () => this._consumerStates.pause(consumer));
    consumer.on('@resume', () => this._consumerStates.resume(consumer));
    consumer.on('@getstats', (callback, errback) => {
      if (this._closed) return errback(new InvalidStateError('transport closed'));
      this._handler.getReceiverStats(consumer.localId).then(callback, errback);
    });
  }

  /** Keeps a new member until it closes, and tells observers (`event`) about it. */
  private adopt<M extends Member>(
    member: M,
    event?: 'newproducer' | 'newconsumer' | 'newdataproducer' | 'newdataconsumer',
  ): M {
    this._members.add(member);
    (member as Member).on('@close', () => this._members.delete(member));
    if (event) (this._observer as EnhancedEventEmitter).safeEmit(event, member);
    return member;
  }

  /**
   * Runs a task in the serial queue. close() stops the queue: the returned
   * promise rejects with InvalidStateError even if the task never ends.
   */
  private async enqueue<T>(task: () => Promise<T>, name: string): Promise<T> {
    // A stopped AwaitQueue would still run later pushes: refuse them here.
    if (this._closed) throw closedWhilePending(name);
    try {
      return await this._queue.push(task, name);
    } catch (error) {
      throw error instanceof AwaitQueueStoppedError ? closedWhilePending(name) : error;
    }
  }

  private rejectAll(requests: { deferred: Deferred<never> }[], error: unknown): void {
    for (const request of requests) request.deferred.reject(error);
  }

  /** Throws unless the transport is open (and, when given, of that direction). */
  private assertOpen(what: string, direction?: 'send' | 'recv'): void {
    if (this._closed)
      throw new InvalidStateError(`transport closed: ${what} needs an open transport`);
    if (direction && direction !== this._direction) {
      throw new UnsupportedError(`${what} needs a ${direction} transport`);
    }
  }

  private assertSctp(what: string): void {
    if (!this._sctpParameters) {
      throw new UnsupportedError(
        `${what} needs SCTP: create the server-side transport with enableSctp`,
      );
    }
  }

  private assertListener(event: 'connect' | 'produce' | 'producedata'): void {
    if (this.listenerCount(event) === 0) {
      throw new TypeError(
        `no "${event}" listener on the transport: add one that signals the server`,
      );
    }
  }

  /** 'connect' is needed until the transport has connected once. */
  private assertConnectListener(): void {
    if (this._connectionState === 'new') this.assertListener('connect');
  }

  private assertAppData(appData: unknown): void {
    if (appData !== undefined && (typeof appData !== 'object' || appData === null)) {
      throw new TypeError('appData must be an object');
    }
  }
}

const closedWhilePending = (name: string): InvalidStateError =>
  new InvalidStateError(`transport closed while ${name} was pending`);
