import type {
  NotificationData,
  RequestData,
  ServerNotifications,
  ServerRequests,
} from '@vroom/protocol';
import type { DataConsumer, DataConsumerMessage } from '../DataConsumer.js';
import type { DataProducer } from '../DataProducer.js';
import { Logger } from '../Logger.js';
import type { SctpStreamParameters } from '../SctpParameters.js';
import type { Transport } from '../Transport.js';
import { RoomError } from './errors.js';
import type { Emit } from './events.js';
import type { RemotePeers } from './RemotePeers.js';

const logger = new Logger('room:DataMessaging');

/** The data producer label chat travels on; `sendData()` may not use it. */
export const CHAT_LABEL = 'chat';
/** Longest chat message, in UTF-16 units. */
export const MAX_CHAT_LENGTH = 4000;

export type DataMessagingContext = {
  sendTransport: () => Transport | undefined;
  /** Resolves once camera / microphone being enabled have gone out (see `MediaFirstGate`). */
  mediaFirst: () => Promise<void>;
  peers: RemotePeers;
  emit: Emit;
};

/**
 * Data channels of the room: one data producer per label, created on the
 * first `send` of that label, and the data consumers the server pushes,
 * turned into `data` and `chat` events.
 */
export class DataMessaging {
  readonly #context: DataMessagingContext;
  readonly #producers = new Map<string, Promise<DataProducer>>();
  readonly #consumers = new Map<string, { peerId: string; dataConsumer: DataConsumer }>();
  readonly #opening = new Map<string, Promise<void>>();

  constructor(context: DataMessagingContext) {
    this.#context = context;
  }

  async send(label: string, data: string | ArrayBuffer | ArrayBufferView | Blob): Promise<void> {
    const producer = await this.open(label);
    producer.send(data);
  }

  /**
   * Opens the label's data producer now. The server gives the others their
   * data consumers at that moment, and a message that reaches a receiver
   * before its channel is open is lost, so opening early makes first
   * messages arrive.
   */
  async open(label: string): Promise<DataProducer> {
    const producer = await this.#producer(label);
    await opened(producer);
    return producer;
  }

  async chat(text: string): Promise<void> {
    await this.send(CHAT_LABEL, JSON.stringify({ text, at: Date.now() }));
  }

  /** Answers `newDataConsumer`: opens the data channel, then resolves. */
  async consume(
    transport: Transport,
    data: RequestData<ServerRequests, 'newDataConsumer'>,
  ): Promise<void> {
    // Re-sent after a resume when the first answer may have been lost: same channel.
    if (this.#consumers.has(data.id)) return;
    const inFlight = this.#opening.get(data.id);
    if (inFlight) return inFlight;
    const opening = this.#consume(transport, data);
    this.#opening.set(data.id, opening);
    try {
      await opening;
    } finally {
      this.#opening.delete(data.id);
    }
  }

  async #consume(
    transport: Transport,
    data: RequestData<ServerRequests, 'newDataConsumer'>,
  ): Promise<void> {
    const peer = this.#context.peers.get(data.peerId);
    if (!peer) throw new Error(`newDataConsumer names unknown peer "${data.peerId}"`);
    const dataConsumer = await transport.consumeData({
      id: data.id,
      dataProducerId: data.dataProducerId,
      sctpStreamParameters: data.sctpStreamParameters as SctpStreamParameters,
      label: data.label,
      protocol: data.protocol,
      appData: { ...data.appData, peerId: data.peerId },
    });
    // The peer may have left while the channel opened.
    if (this.#context.peers.get(data.peerId) !== peer) {
      dataConsumer.close();
      return;
    }
    peer.addDataConsumer(dataConsumer);
    this.#consumers.set(dataConsumer.id, { peerId: peer.id, dataConsumer });
    dataConsumer.on('message', (message) => this.#received(peer.id, data.label, message));
    dataConsumer.observer.on('close', () => {
      this.#consumers.delete(dataConsumer.id);
      peer.removeDataConsumer(dataConsumer.id);
    });
  }

  closedByServer({
    dataConsumerId,
  }: NotificationData<ServerNotifications, 'dataConsumerClosed'>): void {
    this.#consumers.get(dataConsumerId)?.dataConsumer.close();
  }

  /** The labels with a data producer (open or opening): a rejoin opens them again. */
  get labels(): string[] {
    return [...this.#producers.keys()];
  }

  /** The join is over: everything closes with the transports. No requests. */
  clear(): void {
    for (const { dataConsumer } of this.#consumers.values()) dataConsumer.close();
    this.#consumers.clear();
    for (const pending of this.#producers.values()) {
      pending.then(
        (producer) => producer.close(),
        () => undefined,
      );
    }
    this.#producers.clear();
  }

  #producer(label: string): Promise<DataProducer> {
    let pending = this.#producers.get(label);
    if (pending) return pending;
    const transport = this.#context.sendTransport();
    if (!transport) return Promise.reject(RoomError.notJoined('sending data'));
    // Behind media being enabled: its produce() must reach the transport's queue first.
    pending = this.#context
      .mediaFirst()
      .then(() => transport.produceData({ label, ordered: true, appData: { label } }));
    this.#producers.set(label, pending);
    pending.then(
      (producer) => {
        producer.observer.on('close', () => {
          if (this.#producers.get(label) === pending) this.#producers.delete(label);
        });
      },
      () => {
        // Let the next send try again.
        if (this.#producers.get(label) === pending) this.#producers.delete(label);
      },
    );
    return pending;
  }

  #received(peerId: string, label: string, message: DataConsumerMessage): void {
    const peer = this.#context.peers.get(peerId);
    if (!peer) return;
    if (label !== CHAT_LABEL) {
      this.#context.emit('data', { peer, label, data: message });
      return;
    }
    const chat = parseChat(message);
    if (!chat) {
      logger.warn('dropped a malformed chat message from %s', peerId);
      return;
    }
    this.#context.emit('chat', { peer, ...chat });
  }
}

function parseChat(message: DataConsumerMessage): { text: string; at: number } | undefined {
  if (typeof message !== 'string' || message.length > MAX_CHAT_LENGTH * 2 + 100) return undefined;
  try {
    const value = JSON.parse(message) as { text?: unknown; at?: unknown };
    if (typeof value.text !== 'string') return undefined;
    const at = typeof value.at === 'number' && Number.isFinite(value.at) ? value.at : Date.now();
    return { text: value.text.slice(0, MAX_CHAT_LENGTH), at };
  } catch {
    return undefined;
  }
}

/** Resolves once the producer's channel is open (at once if it is). */
function opened(producer: DataProducer): Promise<void> {
  if (producer.readyState === 'open') return Promise.resolve();
  if (producer.closed || producer.readyState === 'closed' || producer.readyState === 'closing') {
    return Promise.reject(RoomError.dataChannelClosed(producer.label));
  }
  return new Promise((resolve, reject) => {
    producer.once('open', () => resolve());
    producer.once('close', () => reject(RoomError.dataChannelClosed(producer.label)));
    producer.once('error', (error) => reject(error));
  });
}
