import * as v from 'valibot';
import { PeerInfo } from './methods.js';
import { moderationNotifications } from './moderation.js';
import { AppMessage, PeerPermissions } from './schemas/appMessage.js';
import { AppData, Id, list, UInt, UInt32 } from './schemas/common.js';

const ConsumerRef = v.object({ consumerId: Id });
const Layer = v.nullable(UInt);

/** Notifications the server sends; the client never answers them. */
export const serverNotifications = {
  peerJoined: PeerInfo,
  peerLeft: v.object({ peerId: Id }),
  /**
   * A peer's link dropped and its session waits for a resume (`reconnecting`;
   * its video is frozen), or it came back (`connected`). A peer that leaves
   * or expires gets `peerLeft` instead.
   */
  peerConnectionState: v.object({ peerId: Id, state: v.picklist(['reconnecting', 'connected']) }),
  /** One of this peer's producers was closed by the server. */
  producerClosed: v.object({ producerId: Id }),
  producerScore: v.object({
    producerId: Id,
    score: list(v.object({ ssrc: UInt32, rid: v.optional(v.string()), score: UInt }), 16),
  }),
  /** The producer behind it closed, or its transport did. */
  consumerClosed: ConsumerRef,
  /** The producer behind it paused. */
  consumerPaused: ConsumerRef,
  consumerResumed: ConsumerRef,
  consumerLayersChanged: v.object({ consumerId: Id, spatialLayer: Layer, temporalLayer: Layer }),
  consumerScore: v.object({
    consumerId: Id,
    score: UInt,
    producerScore: UInt,
    producerScores: list(UInt, 16),
  }),
  dataConsumerClosed: v.object({ dataConsumerId: Id }),
  /** The router closed under it (room closed or worker died). */
  transportClosed: v.object({ transportId: Id }),
  /** The loudest peer changed. */
  activeSpeaker: v.object({ peerId: Id, producerId: Id }),
  /** Levels of the audible producers, loudest first; empty when all are silent. */
  audioLevels: v.object({
    volumes: list(v.object({ peerId: Id, producerId: Id, volume: v.number() }), 1000),
  }),
  /** The room is gone on the server; `workerDied` means rejoining gets a fresh room. */
  roomClosed: v.object({
    reason: v.picklist(['workerDied', 'closed']),
    appData: v.optional(AppData),
  }),
  ...moderationNotifications,
  /** A notification the application declared (`defineAppProtocol`), to this peer or its room. */
  appNotification: AppMessage,
  /** This peer's permissions, sent after `join` when they are not the defaults, and on each change. */
  permissionsChanged: v.object({ permissions: PeerPermissions }),
} as const;

/** The client sends no notifications yet; the table exists so both ends have the same shape. */
export const clientNotifications = {} as const;

export type NotificationTable = Record<string, v.GenericSchema>;
export type ServerNotifications = typeof serverNotifications;
export type ClientNotifications = typeof clientNotifications;
export type NotificationData<T extends NotificationTable, M extends keyof T> = v.InferOutput<T[M]>;
