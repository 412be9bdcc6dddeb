import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { createLogger } from '../../logger.js';
import type { ServerEventMap, ServerEvents } from '../../ServerEvents.js';
import type { SfuServer } from '../../SfuServer.js';
import {
  type ParticipantCloseReason,
  ServerParticipant,
  type ServerParticipantOptions,
} from '../participants/ServerParticipant.js';

const log = createLogger('DataParticipant');

/** The label the room client's chat travels on, and its message shape. */
export const CHAT_LABEL = 'chat';

/** WebRTC's SCTP payload ids (RFC 8831): string and binary messages. */
const PPID = { string: 51, binary: 53, emptyString: 56, emptyBinary: 57 } as const;

export interface DataMessage {
  /** The sending peer. */
  peerId: string;
  /** Its data producer's label (`chat` for the room client's chat). */
  label: string;
  /** A string for WebRTC string messages, a Buffer for binary ones. */
  data: string | Buffer;
}

export interface DataParticipantEvents {
  message: [message: DataMessage];
  closed: [reason: ParticipantCloseReason];
}

/**
 * A server-side participant that speaks DataChannel with the room's WebRTC
 * peers: it consumes every data producer of the others and emits their
 * messages, and sends on labels of its own (`send`, `say` for the chat).
 * Built on mediasoup's DirectTransport (messages cross the worker's channel
 * to Node): no UDP socket, no SCTP stack in Node, nothing to bind.
 */
export class DataParticipant extends EventEmitter<DataParticipantEvents> {
  readonly participant: ServerParticipant;
  readonly #transport: types.DirectTransport;
  readonly #producers = new Map<string, Promise<types.DataProducer>>();
  readonly #consumed = new Set<string>();

  private constructor(participant: ServerParticipant, transport: types.DirectTransport) {
    super();
    this.participant = participant;
    this.#transport = transport;
    participant.once('closed', (reason) => this.#emitSafely('closed', reason));
  }

  /** Joins `roomId` and starts hearing every DataChannel message sent in it. */
  static async join(
    server: SfuServer,
    options: ServerParticipantOptions & {
      maxMessageSize?: number;
      /**
       * Labels whose data producers open at once (default: the chat's). A
       * peer hears a label only once it consumes it, so a first message on a
       * label opened by `send` can reach nobody; opened here, it reaches
       * everyone who joined meanwhile.
       */
      labels?: string[];
    },
  ): Promise<DataParticipant> {
    const participant = await ServerParticipant.join(server, options);
    try {
      const transport = await participant.createDirectTransport(
        options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {},
      );
      const voice = new DataParticipant(participant, transport);
      await voice.#listen(server.events);
      for (const label of options.labels ?? [CHAT_LABEL]) await voice.#producer(label);
      return voice;
    } catch (error) {
      participant.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.participant.closed;
  }

  /**
   * Sends `data` on `label` to every peer that consumes data (the first send
   * on a label opens its data producer). Strings go as WebRTC strings, bytes
   * as binary.
   */
  async send(label: string, data: string | Uint8Array): Promise<void> {
    const producer = await this.#producer(label);
    if (typeof data === 'string') {
      // An empty message has its own PPID; SCTP cannot carry zero bytes.
      if (data === '') producer.send(' ', PPID.emptyString);
      else producer.send(data, PPID.string);
    } else if (data.byteLength === 0) {
      producer.send(Buffer.alloc(1), PPID.emptyBinary);
    } else {
      producer.send(Buffer.from(data.buffer, data.byteOffset, data.byteLength), PPID.binary);
    }
  }

  /** A chat message, shown by the example page like any peer's (e.g. "recording started"). */
  say(text: string): Promise<void> {
    return this.send(CHAT_LABEL, JSON.stringify({ text, at: Date.now() }));
  }

  close(): void {
    this.participant.close();
  }

  #producer(label: string): Promise<types.DataProducer> {
    let pending = this.#producers.get(label);
    if (!pending) {
      pending = this.participant.produceData(this.#transport, { label, appData: { label } });
      this.#producers.set(label, pending);
      pending.catch(() => this.#producers.delete(label));
    }
    return pending;
  }

  /** Consumes what the others send now, and every data producer made later in the room. */
  async #listen(events: ServerEvents): Promise<void> {
    const onCreated = (event: ServerEventMap['dataProducerCreated']) => {
      if (event.roomId === this.participant.roomId)
        void this.#consume(event.peerId, event.dataProducerId);
    };
    events.on('dataProducerCreated', onCreated);
    this.participant.once('closed', () => events.off('dataProducerCreated', onCreated));
    for (const peer of this.participant.others()) {
      for (const dataProducer of [...peer.dataProducers.values()]) {
        await this.#consume(peer.id, dataProducer.id);
      }
    }
  }

  async #consume(from: string, dataProducerId: string): Promise<void> {
    if (from === this.participant.id || this.#consumed.has(dataProducerId) || this.closed) return;
    this.#consumed.add(dataProducerId);
    try {
      const consumer = await this.#transport.consumeData({ dataProducerId });
      consumer.observer.once('close', () => this.#consumed.delete(dataProducerId));
      consumer.on('message', (message: Buffer, ppid: number) => {
        this.#emitSafely('message', {
          peerId: from,
          label: consumer.label,
          data: decode(message, ppid),
        });
      });
    } catch (error) {
      // Closed meanwhile: nothing to hear.
      this.#consumed.delete(dataProducerId);
      log.debug('cannot consume data producer %s: %s', dataProducerId, error);
    }
  }

  #emitSafely<E extends keyof DataParticipantEvents>(
    event: E,
    ...args: DataParticipantEvents[E]
  ): void {
    try {
      (this.emit as (e: E, ...a: DataParticipantEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      log.error('a %s listener of data participant threw: %s', event, error);
    }
  }
}

function decode(message: Buffer, ppid: number): string | Buffer {
  if (ppid === PPID.string) return message.toString('utf8');
  if (ppid === PPID.emptyString) return '';
  if (ppid === PPID.emptyBinary) return Buffer.alloc(0);
  return message;
}
