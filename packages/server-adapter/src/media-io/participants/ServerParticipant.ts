import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { createLogger } from '../../logger.js';
import type { Peer } from '../../Peer.js';
import type { SfuServer } from '../../SfuServer.js';
import { fanOutDataProducer, fanOutProducer } from '../../subscribe.js';

const log = createLogger('ServerParticipant');

/** Why a server-side participant left its room. */
export type ParticipantCloseReason =
  /** `close()` was called (the app or the owning ingest stopped it). */
  | 'closed'
  /** The room closed under it (the server closing). */
  | 'roomClosed'
  /** Its mediasoup worker died. */
  | 'workerDied'
  /** An owner gave its own reason (e.g. an ingest's `silence`). */
  | (string & {});

export interface ServerParticipantEvents {
  /** Once, after every transport and producer of it closed and the room heard `peerLeft`. */
  closed: [reason: ParticipantCloseReason];
}

export interface ServerParticipantOptions {
  roomId: string;
  displayName: string;
  /** What the others see in `peerJoined` (JSON; counts against the room's peer list bytes). */
  appData?: Record<string, unknown>;
  /** Shown to the others as the device; default `{ name: 'server' }`. */
  device?: { name: string; version?: string };
}

/** What a producer of a participant carries: what the others' `newConsumer` shows. */
export interface ParticipantProduceOptions extends types.ProducerOptions {
  /** Passed to consumers as the producer's appData (`newConsumer.appData`). */
  appData?: Record<string, unknown>;
}

/**
 * A participant that lives on the server: others see it join with its
 * display name and appData, consume its producers as usual `newConsumer`s,
 * and see it leave (`peerLeft`). It owns the non-WebRTC transports it makes
 * (plain, direct) and closes them when it leaves. Ingests, the data voice and
 * a recorder that wants to be seen are built on it.
 */
export class ServerParticipant extends EventEmitter<ServerParticipantEvents> {
  readonly roomId: string;
  readonly displayName: string;
  readonly #peer: Peer;
  readonly #transports = new Set<types.Transport>();
  /** Kept: the peer forgets its room before telling us it closed. */
  readonly #worker: types.Worker;
  #closing: ParticipantCloseReason | undefined;
  #closed = false;

  private constructor(peer: Peer, options: ServerParticipantOptions) {
    super();
    this.#peer = peer;
    this.#worker = peer.requireRoom().worker;
    this.roomId = options.roomId;
    this.displayName = options.displayName;
  }

  /** Joins `roomId` (opening it if needed). Throws the join's ProtocolError (room full...). */
  static async join(
    server: SfuServer,
    options: ServerParticipantOptions,
  ): Promise<ServerParticipant> {
    let participant: ServerParticipant | undefined;
    const identity = {
      displayName: options.displayName,
      device: options.device ?? { name: 'server' },
      ...(options.appData ? { appData: options.appData } : {}),
    };
    const peer = await server.seatServerPeer(options.roomId, identity, () => {
      if (participant) participant.#onPeerClosed();
    });
    participant = new ServerParticipant(peer, options);
    return participant;
  }

  /** The peer id the others know it by. */
  get id(): string {
    return this.#peer.id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The room's router (capabilities, `canConsume`...). Throws once closed. */
  get router(): types.Router {
    return this.#room().router;
  }

  /** Producers it sends, by id. */
  get producers(): ReadonlyMap<string, types.Producer> {
    return this.#peer.producers;
  }

  /** The room's other peers (browser peers and other server participants). */
  others(): Peer[] {
    return this.#room().others(this.#peer);
  }

  /** A plain (RTP/SCTP over UDP) transport, closed with the participant. */
  async createPlainTransport(options: types.PlainTransportOptions): Promise<types.PlainTransport> {
    return this.#adopt(await this.#room().router.createPlainTransport(options));
  }

  /**
   * A direct transport (data to and from Node), closed with the participant.
   * `maxMessageSize` bounds each message (mediasoup's default, 256 KiB).
   */
  async createDirectTransport(
    options: { maxMessageSize?: number } = {},
  ): Promise<types.DirectTransport> {
    const maxMessageSize = options.maxMessageSize ?? 262_144;
    return this.#adopt(await this.#room().router.createDirectTransport({ maxMessageSize }));
  }

  /**
   * Produces on one of its transports; every peer that can consume it gets a
   * `newConsumer`, audio feeds the room's level and speaker observers.
   */
  async produce(
    transport: types.Transport,
    options: ParticipantProduceOptions,
  ): Promise<types.Producer> {
    const room = this.#room();
    const producer = await transport.produce({
      ...options,
      // The same shape `produce` requests make: consumers name the owner from it.
      appData: { peerId: this.id, client: options.appData ?? {} },
    });
    this.#peer.adoptProducer(producer);
    if (producer.kind === 'audio') void room.observeAudio(producer);
    fanOutProducer(this.#peer, producer);
    return producer;
  }

  /** Produces DataChannel messages; every peer with an SCTP recv transport gets a `newDataConsumer`. */
  async produceData(
    transport: types.Transport,
    options: types.DataProducerOptions & { appData?: Record<string, unknown> },
  ): Promise<types.DataProducer> {
    this.#room();
    const dataProducer = await transport.produceData({
      ...options,
      appData: { peerId: this.id, transportId: transport.id, client: options.appData ?? {} },
    });
    this.#peer.adoptDataProducer(dataProducer);
    fanOutDataProducer(this.#peer, dataProducer);
    return dataProducer;
  }

  /**
   * Leaves the room: closes its transports (their producers close, the
   * others' consumers with them), then the others hear `peerLeft`.
   * `reason` is what `closed` reports (default `closed`).
   */
  close(reason: ParticipantCloseReason = 'closed'): void {
    if (this.#closed || this.#closing) return;
    this.#closing = reason;
    for (const transport of [...this.#transports]) transport.close();
    this.#peer.close(undefined, `server participant: ${reason}`, 'left');
  }

  #room() {
    const room = this.#peer.room;
    if (!room || room.closed || this.#closed) {
      throw new ParticipantClosedError(this.displayName);
    }
    return room;
  }

  #adopt<T extends types.Transport>(transport: T): T {
    if (this.#closed || this.#closing) {
      transport.close();
      throw new ParticipantClosedError(this.displayName);
    }
    this.#transports.add(transport);
    transport.observer.once('close', () => this.#transports.delete(transport));
    return transport;
  }

  /** The peer closed: by `close()`, or by its room closing (worker death included). */
  #onPeerClosed(): void {
    if (this.#closed) return;
    // The room closing closed the router, hence these transports already; this is for the rest.
    for (const transport of [...this.#transports]) transport.close();
    this.#closed = true;
    const reason = this.#closing ?? (this.#worker.closed ? 'workerDied' : 'roomClosed');
    log.debug(
      'participant %s (%s) left room %s: %s',
      this.id,
      this.displayName,
      this.roomId,
      reason,
    );
    try {
      this.emit('closed', reason);
    } catch (error) {
      // A listener's bug must not break the room's teardown that called us.
      log.error('a closed listener of participant %s threw: %s', this.id, error);
    }
  }
}

/** The participant left its room (or the room closed): make a new one to go on. */
export class ParticipantClosedError extends Error {
  override readonly name = 'ParticipantClosedError';
  constructor(displayName: string) {
    super(`server participant "${displayName}" has left its room; join a new one to go on`);
  }
}
