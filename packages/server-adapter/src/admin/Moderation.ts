import type { types } from 'mediasoup';
import { CloseCode } from '../Connection.js';
import { createLogger } from '../logger.js';
import type { Peer } from '../Peer.js';
import type { Room } from '../Room.js';
import type { SfuServer } from '../SfuServer.js';
import { AdminError, AdminErrorCode } from './AdminError.js';
import { type AdminInput, type AdminOperation, parseAdminInput } from './inputs.js';

const log = createLogger('admin:Moderation');

/** One RTP stream of a producer as the worker last measured it. */
export interface StreamStats {
  ssrc: number;
  rid?: string;
  bitrate: number;
  score: number;
  packetsLost: number;
}

export interface ProducerSummary {
  producerId: string;
  kind: 'audio' | 'video';
  paused: boolean;
  /** `appData.source` the client gave (camera, microphone, screen...), if any. */
  source: string | undefined;
  /** With `{ stats: true }` only: one entry per stream. */
  stats?: StreamStats[];
}

export interface PeerSummary {
  peerId: string;
  displayName: string;
  appData: Record<string, unknown>;
  /** A signaling connection is bound now (false while it waits for a resume). */
  connected: boolean;
  transports: number;
  consumers: number;
  dataProducers: number;
  producers: ProducerSummary[];
}

export interface RoomSummary {
  roomId: string;
  workerPid: number;
  peers: PeerSummary[];
}

/**
 * Moderation and admin, in-process: what an operator or the app's own
 * logic may do to rooms and peers. Every input is validated (`adminInputs`)
 * and every failure is an `AdminError`. The HTTP endpoint (`httpAdmin.ts`)
 * calls the same methods.
 */
export class Moderation {
  readonly #server: SfuServer;

  constructor(server: SfuServer) {
    this.#server = server;
  }

  /** Every open room with its peers and their producers (no stats: no worker round trip). */
  listRooms(): RoomSummary[] {
    return this.#server.rooms().map((room) => summarise(room.id, room.worker.pid, room.peers));
  }

  /** One room; `{ stats: true }` adds each producer's stream stats (one worker request each). */
  async room(input: AdminInput<'room'>): Promise<RoomSummary> {
    const { roomId, stats } = this.#parse('room', input);
    const room = this.#room(roomId);
    const summary = summarise(room.id, room.worker.pid, [...room.peers.values()]);
    if (!stats) return summary;
    await Promise.all(
      summary.peers.flatMap((peer) =>
        peer.producers.map(async (entry) => {
          const producer = room.peers.get(peer.peerId)?.producers.get(entry.producerId);
          entry.stats = producer ? await streamStats(producer) : [];
        }),
      ),
    );
    return summary;
  }

  /**
   * Pauses a peer's producer at the server: the others' consumers pause
   * (consumerPaused) and its owner hears `producerMuted` so its UI shows it.
   * The owner may resume it, unless the app's permissions say otherwise.
   */
  async muteProducer(input: AdminInput<'muteProducer'>): Promise<void> {
    const { roomId, peerId, producerId, reason } = this.#parse('muteProducer', input);
    const { peer, producer } = this.#producer(roomId, peerId, producerId);
    await this.#worker('muteProducer', () => producer.pause());
    peer.notify('producerMuted', { producerId, ...(reason !== undefined ? { reason } : {}) });
    log.debug('room %s: producer %s of %s muted', roomId, producerId, peerId);
  }

  /** Closes a peer's producer: the others lose the track, the owner hears `producerClosed`. */
  closeProducer(input: AdminInput<'closeProducer'>): void {
    const { roomId, peerId, producerId } = this.#parse('closeProducer', input);
    const { peer, producer } = this.#producer(roomId, peerId, producerId);
    producer.close();
    peer.notify('producerClosed', { producerId });
    log.debug('room %s: producer %s of %s closed', roomId, producerId, peerId);
  }

  /**
   * Removes a peer: it hears `removedFromRoom { reason }`, its connection is
   * closed with 4006 and its session ends (no resume); the others hear peerLeft.
   */
  removePeer(input: AdminInput<'removePeer'>): void {
    const { roomId, peerId, reason } = this.#parse('removePeer', input);
    const peer = this.#peer(roomId, peerId);
    peer.notify('removedFromRoom', { reason });
    peer.close(CloseCode.Removed, reason, 'removed');
    log.debug('room %s: peer %s removed (%s)', roomId, peerId, reason);
  }

  /** Closes a room: every peer hears `roomClosed { reason: 'closed', appData: { reason } }`. */
  closeRoom(input: AdminInput<'closeRoom'>): void {
    const { roomId, reason } = this.#parse('closeRoom', input);
    this.#room(roomId).close('closed', reason !== undefined ? { reason } : undefined);
  }

  /**
   * Changes a peer's display name and/or app data; everyone in the room
   * (that peer too) hears `peerUpdated`, and later joiners see the new info.
   */
  updatePeer(input: AdminInput<'updatePeer'>): void {
    const { roomId, peerId, displayName, appData } = this.#parse('updatePeer', input);
    const room = this.#room(roomId);
    const peer = this.#peer(roomId, peerId);
    const identity = peer.identity;
    if (!identity) throw AdminError.notFound('peer', peerId);
    const next = {
      ...identity,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(appData !== undefined ? { appData } : {}),
    };
    const bytes = Buffer.byteLength(JSON.stringify({ ...peer.info(), ...next }));
    try {
      room.resizePeerInfo(peer, bytes, () => {
        peer.identity = next;
      });
    } catch (error) {
      throw new AdminError(AdminErrorCode.LimitExceeded, `${(error as Error).message}`);
    }
    const update = {
      peerId,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(appData !== undefined ? { appData } : {}),
    };
    for (const member of room.peers.values()) {
      if (member === peer || member.announced) member.notify('peerUpdated', update);
    }
  }

  /** Sends `serverMessage` to everyone in the room, or to one peer. */
  sendMessage(input: AdminInput<'sendMessage'>): void {
    const { roomId, peerId, text, appData } = this.#parse('sendMessage', input);
    const room = this.#room(roomId);
    const message = {
      ...(text !== undefined ? { text } : {}),
      ...(appData !== undefined ? { appData } : {}),
    };
    const targets = peerId !== undefined ? [this.#peer(roomId, peerId)] : room.peers.values();
    for (const peer of targets) peer.notify('serverMessage', message);
  }

  #parse<O extends AdminOperation>(operation: O, input: unknown): AdminInput<O> {
    return parseAdminInput(operation, input);
  }

  #room(roomId: string): Room {
    const room = this.#server.liveRoom(roomId);
    if (!room) throw AdminError.notFound('room', roomId);
    return room;
  }

  #peer(roomId: string, peerId: string): Peer {
    const peer = this.#room(roomId).peers.get(peerId);
    if (!peer || peer.closed) throw AdminError.notFound(`peer in room "${roomId}"`, peerId);
    return peer;
  }

  #producer(roomId: string, peerId: string, producerId: string) {
    const peer = this.#peer(roomId, peerId);
    const producer = peer.producers.get(producerId);
    if (!producer || producer.closed) throw AdminError.notFound('producer', producerId);
    return { peer, producer };
  }

  async #worker(operation: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      throw new AdminError(
        AdminErrorCode.Failed,
        `${operation}: the media server refused: ${error}`,
      );
    }
  }
}

function summarise(roomId: string, workerPid: number, peers: Iterable<Peer>): RoomSummary {
  return {
    roomId,
    workerPid,
    peers: [...peers].map((peer) => ({
      peerId: peer.id,
      displayName: peer.identity?.displayName ?? '',
      appData: peer.identity?.appData ?? {},
      connected: peer.connected,
      transports: peer.transports.size,
      consumers: peer.consumers.size,
      dataProducers: peer.dataProducers.size,
      producers: [...peer.producers.values()].map((producer) => ({
        producerId: producer.id,
        kind: producer.kind,
        paused: producer.paused,
        source: sourceOf(producer.appData),
      })),
    })),
  };
}

/** The owner's `appData` travels as `appData.client` (see `produce`). */
function sourceOf(appData: unknown): string | undefined {
  const source = (appData as { client?: { source?: unknown } } | undefined)?.client?.source;
  return typeof source === 'string' ? source : undefined;
}

async function streamStats(producer: types.Producer): Promise<StreamStats[]> {
  try {
    const stats = await producer.getStats();
    return stats.map((s) => ({
      ssrc: s.ssrc,
      ...(s.rid ? { rid: s.rid } : {}),
      bitrate: s.bitrate,
      score: s.score,
      packetsLost: s.packetsLost,
    }));
  } catch {
    // Closed meanwhile: no stats to give.
    return [];
  }
}
