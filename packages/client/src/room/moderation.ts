import type { NotificationData, ServerNotifications } from '@vroom/protocol';
import type { Emit } from './events.js';
import type { LocalMedia } from './LocalMedia.js';
import type { RemotePeers } from './RemotePeers.js';

type Data<M extends keyof ServerNotifications> = NotificationData<ServerNotifications, M>;

/** What the moderation notifications act on: the room connection. */
export type ModerationHost = { readonly media: LocalMedia; readonly peers: RemotePeers };

/**
 * The server's moderation (issue 16) as room events. Its own module so the
 * room connection only spreads the handlers in.
 */
export function moderationHandlers(
  host: ModerationHost,
  emit: Emit,
  /** Ends the join without a reconnect: the server is about to close the connection. */
  removed: (reason: string) => void,
) {
  return {
    producerMuted: ({ producerId, reason }: Data<'producerMuted'>) => {
      const track = host.media.list.find((local) => local.producerId === producerId);
      if (!track) return;
      // The server already paused it; pausing here stops sending and shows it muted.
      if (!track.producer.paused) track.producer.pause();
      emit('localtrackmuted', { track, reason });
    },
    peerUpdated: (data: Data<'peerUpdated'>) => {
      const peer = host.peers.get(data.peerId);
      if (peer && data.displayName !== undefined) peer.displayName = data.displayName;
      if (peer && data.appData !== undefined) peer.appData = data.appData;
      emit('peerupdated', { ...data, peer });
    },
    removedFromRoom: ({ reason }: Data<'removedFromRoom'>) => removed(reason),
    serverMessage: (data: Data<'serverMessage'>) => emit('servermessage', data),
  };
}
