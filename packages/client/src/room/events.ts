import type { PeerPermissions } from '@vroom/protocol';
import type { MediaKind } from '../RtpParameters.js';
import type { AppData } from '../types.js';
import type { ConnectionQuality } from './connectionQuality.js';
import type { RoomError } from './errors.js';
import type { LocalTrack } from './LocalMedia.js';
import type { PeerConnectionState, RemotePeer, RemoteTrack } from './RemotePeer.js';

/**
 * The room's connection, as an app shows it:
 * - `new`: constructed, `join()` not called yet.
 * - `connecting`: `join()` in progress.
 * - `connected`: joined; media and data flow.
 * - `reconnecting`: the server was lost (signaling dropped, worker died...): resuming
 *   the session, else rejoining; media keeps flowing when it can. Calls wait.
 * - `disconnected`: left, or the signaling channel / room is gone. `join()` again to re-enter.
 * - `failed`: `join()` failed or a WebRTC transport failed. `leave()`, then `join()` again.
 */
export type ConnectionState =
  | 'new'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'failed';

/** What a producer carries; travels as `appData.source` so receivers can tell. */
export type TrackSource = 'camera' | 'microphone' | 'screen' | 'screenAudio';

/** A remote track event: who, what and which consumer. */
export type TrackEvent = {
  peer: RemotePeer;
  track: MediaStreamTrack;
  kind: MediaKind;
  /** `appData.source` of the producer; `undefined` when its owner did not say. */
  source: TrackSource | undefined;
  consumerId: string;
  remoteTrack: RemoteTrack;
};

export type DataEvent = {
  peer: RemotePeer;
  label: string;
  data: string | ArrayBuffer | Blob;
};

export type ChatEvent = {
  peer: RemotePeer;
  text: string;
  /** Sender's clock, ms since the epoch. */
  at: number;
};

export type AudioLevel = {
  peer: RemotePeer | undefined;
  peerId: string;
  producerId: string;
  volume: number;
};

export type LayersEvent = {
  peer: RemotePeer;
  consumerId: string;
  spatialLayer: number | null;
  temporalLayer: number | null;
};

export type ScoreEvent =
  | {
      /** One of our producers, as the server receives it (0..10 per stream). */
      type: 'producer';
      source: TrackSource | undefined;
      producerId: string;
      score: { ssrc: number; rid?: string | undefined; score: number }[];
    }
  | {
      /** A track we receive: its score and its producer's. */
      type: 'consumer';
      peer: RemotePeer | undefined;
      consumerId: string;
      score: number;
      producerScore: number;
      producerScores: number[];
    };

/** Event name -> listener arguments. `room.on('trackadded', ({ peer, track }) => ...)` is checked. */
export type RoomClientEvents = {
  connectionstatechange: [ConnectionState];
  peerjoined: [RemotePeer];
  peerleft: [RemotePeer];
  /**
   * A peer's link dropped (`reconnecting`: its video is frozen, show it so)
   * or came back (`connected`). `peer.connectionState` holds the latest.
   */
  peerconnectionstatechange: [{ peer: RemotePeer; state: PeerConnectionState }];
  trackadded: [TrackEvent];
  trackremoved: [TrackEvent];
  /** The sender paused (muted) it: show a placeholder. */
  trackpaused: [TrackEvent];
  trackresumed: [TrackEvent];
  /** One of our tracks is now sent (enableCamera...). */
  localtrackpublished: [LocalTrack];
  /** One of our tracks stopped being sent (disabled, source ended, closed by the server). */
  localtrackunpublished: [LocalTrack];
  /** The loudest peer id (possibly ours: compare with `room.peerId`), or null when nobody speaks. */
  activespeaker: [string | null];
  /** Audible producers, loudest first; empty when all are silent. */
  audiolevels: [AudioLevel[]];
  data: [DataEvent];
  chat: [ChatEvent];
  layerschange: [LayersEvent];
  /**
   * A peer's connection quality changed (`peer` undefined: ours), judged
   * from the server's scores; `lost` while the peer is reconnecting.
   */
  connectionquality: [{ peerId: string; peer: RemotePeer | undefined; quality: ConnectionQuality }];
  score: [ScoreEvent];
  /** The room closed on the server (`workerDied`: joining again gets a fresh room). */
  roomclosed: [{ reason: 'workerDied' | 'closed' }];
  /** The room lost the server and is recovering (`connectionstatechange` says `reconnecting` too). */
  reconnecting: [{ cause: RoomError }];
  /**
   * Back to `connected`: `resumed` (same session: no track changed) or
   * `rejoined` (a new join: our tracks published again, theirs replaced),
   * `afterMs` since `reconnecting`, after `attempts` tries.
   */
  reconnected: [{ how: 'resumed' | 'rejoined'; afterMs: number; attempts: number }];
  /** A moderator paused one of our tracks on the server (it now reads paused here too). */
  localtrackmuted: [{ track: LocalTrack; reason: string | undefined }];
  /** A peer's metadata changed on the server (`peer` undefined: it is us, or unknown yet). */
  peerupdated: [
    {
      peerId: string;
      peer: RemotePeer | undefined;
      displayName?: string | undefined;
      appData?: AppData | undefined;
    },
  ];
  /** A moderator removed us: the room is `disconnected` and does not reconnect. */
  removed: [{ reason: string }];
  /** A message from the server to the room (or to us). */
  servermessage: [{ text?: string | undefined; appData?: AppData | undefined }];
  /** An application notification, unchecked (`appMessages()` checks and types them). */
  appnotification: [{ method: string; data: unknown }];
  /** The server changed what we may do (publish, subscribe, data...); also right after a join when not the defaults. */
  permissionschange: [PeerPermissions];
  /** Something failed outside any call the app awaits (a pipelined request, a consumer...). */
  error: [RoomError];
};

export type RoomEventName = keyof RoomClientEvents & string;

/** How helpers raise room events without owning the emitter. */
export type Emit<E extends RoomEventName = RoomEventName> = <K extends E>(
  event: K,
  ...args: RoomClientEvents[K]
) => void;
