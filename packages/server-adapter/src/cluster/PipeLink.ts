import type { types } from 'mediasoup';
import { createLogger } from '../logger.js';
import { clientAppData } from '../subscribe.js';
import type { BusMessages } from './messages.js';

const log = createLogger('cluster:PipeLink');

export interface PipeLinkOptions {
  router: types.Router;
  /** Local address the pipe transport listens on, and the one other nodes are told. */
  listenIp: string;
  advertise: string;
  srtp: boolean;
  /** Tells the other node what happened to a producer it receives through this link. */
  send: <K extends 'producerPaused' | 'producerResumed' | 'producerGone' | 'dataProducerGone'>(
    type: K,
    body: BusMessages[K],
  ) => void;
}

/**
 * The media path between this node and one other node, for one room: a
 * mediasoup PipeTransport on each side. Producers of local peers leave
 * through pipe consumers here (once each), producers of the other node's
 * peers arrive as pipe producers with their original ids. RTCP crosses it,
 * so key frame requests reach the origin producer.
 */
export class PipeLink {
  readonly transport: types.PipeTransport;
  readonly #options: PipeLinkOptions;
  /** Local producers sent through this link, by producer id. */
  readonly #out = new Map<string, types.Consumer>();
  readonly #dataOut = new Map<string, types.DataConsumer>();
  /** Ids being consumed now: a producer created while the link connects is offered twice. */
  readonly #sending = new Set<string>();
  #connected = false;

  private constructor(options: PipeLinkOptions, transport: types.PipeTransport) {
    this.#options = options;
    this.transport = transport;
  }

  static async create(options: PipeLinkOptions): Promise<PipeLink> {
    const transport = await options.router.createPipeTransport({
      listenIp: { ip: options.listenIp, announcedIp: options.advertise },
      // Between hosts packets get lost: let NACKs be answered across the pipe.
      enableRtx: true,
      enableSrtp: options.srtp,
      // Data channels (chat) cross nodes too.
      enableSctp: true,
    });
    return new PipeLink(options, transport);
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** This side's address, as the other node must be told. */
  address(): BusMessages['pipeOffer'] {
    const srtp = this.transport.srtpParameters;
    return {
      ip: this.#options.advertise,
      port: this.transport.tuple.localPort,
      ...(srtp ? { srtp: { cryptoSuite: srtp.cryptoSuite, keyBase64: srtp.keyBase64 } } : {}),
    };
  }

  async connect(remote: BusMessages['pipeOffer']): Promise<void> {
    if (this.#connected) return;
    this.#connected = true;
    await this.transport.connect({
      ip: remote.ip,
      port: remote.port,
      ...(remote.srtp ? { srtpParameters: remote.srtp } : {}),
    });
  }

  /** Consumes a local producer on the pipe; undefined if it already went (or closed meanwhile). */
  async sendProducer(
    producer: types.Producer,
    ownerId: string,
  ): Promise<BusMessages['pipeProducer'] | undefined> {
    if (this.#out.has(producer.id) || this.#sending.has(producer.id)) return undefined;
    if (producer.closed || this.transport.closed) return undefined;
    this.#sending.add(producer.id);
    let consumer: types.Consumer;
    try {
      consumer = await this.transport.consume({ producerId: producer.id });
    } finally {
      this.#sending.delete(producer.id);
    }
    if (producer.closed) {
      consumer.close();
      return undefined;
    }
    this.#out.set(producer.id, consumer);
    const ref = { producerId: producer.id };
    consumer.on('producerpause', () => this.#options.send('producerPaused', ref));
    consumer.on('producerresume', () => this.#options.send('producerResumed', ref));
    consumer.observer.once('close', () => {
      this.#out.delete(producer.id);
      this.#options.send('producerGone', ref);
    });
    return {
      peerId: ownerId,
      producerId: producer.id,
      id: consumer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as BusMessages['pipeProducer']['rtpParameters'],
      type: 'pipe',
      producerPaused: consumer.producerPaused,
      appData: clientAppData(producer),
    };
  }

  /** Makes the other node's producer here, with its original id. */
  async receiveProducer(body: BusMessages['pipeProducer']): Promise<types.Producer> {
    return this.transport.produce({
      id: body.producerId,
      kind: body.kind,
      rtpParameters: body.rtpParameters as types.RtpParameters,
      paused: body.producerPaused,
      appData: { peerId: body.peerId, client: body.appData, piped: true },
    });
  }

  /** Consumes a local data producer on the pipe; undefined if it already went. */
  async sendDataProducer(
    dataProducer: types.DataProducer,
    ownerId: string,
  ): Promise<BusMessages['pipeDataProducer'] | undefined> {
    if (this.#dataOut.has(dataProducer.id) || this.#sending.has(dataProducer.id)) return undefined;
    if (dataProducer.closed || this.transport.closed) return undefined;
    this.#sending.add(dataProducer.id);
    let dataConsumer: types.DataConsumer;
    try {
      dataConsumer = await this.transport.consumeData({ dataProducerId: dataProducer.id });
    } finally {
      this.#sending.delete(dataProducer.id);
    }
    if (dataProducer.closed || !dataConsumer.sctpStreamParameters) {
      dataConsumer.close();
      return undefined;
    }
    this.#dataOut.set(dataProducer.id, dataConsumer);
    dataConsumer.observer.once('close', () => {
      this.#dataOut.delete(dataProducer.id);
      this.#options.send('dataProducerGone', { dataProducerId: dataProducer.id });
    });
    return {
      peerId: ownerId,
      dataProducerId: dataProducer.id,
      id: dataConsumer.id,
      sctpStreamParameters:
        dataConsumer.sctpStreamParameters as BusMessages['pipeDataProducer']['sctpStreamParameters'],
      label: dataConsumer.label,
      protocol: dataConsumer.protocol,
      appData: clientAppData(dataProducer),
    };
  }

  async receiveDataProducer(body: BusMessages['pipeDataProducer']): Promise<types.DataProducer> {
    return this.transport.produceData({
      id: body.dataProducerId,
      sctpStreamParameters: body.sctpStreamParameters as types.SctpStreamParameters,
      label: body.label,
      protocol: body.protocol,
      appData: { peerId: body.peerId, client: body.appData, piped: true },
    });
  }

  /** Stops sending one local producer (nobody there consumes it any more). */
  unpipe(producerId: string): void {
    this.#out.get(producerId)?.close();
  }

  close(): void {
    if (this.transport.closed) return;
    log.debug('pipe link %s closed', this.transport.id);
    this.transport.close();
  }
}
