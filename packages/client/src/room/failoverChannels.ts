import type { SignalingChannel } from './SignalingChannel.js';
import { WebSocketChannel, type WebSocketChannelOptions } from './WebSocketChannel.js';

/**
 * Signaling over whichever of several servers answers: a channel source for
 * `new RoomClient({ channel: failoverChannels([...]) })`, for a cluster
 * (any node serves any room) or a standby. Each connection tries the
 * current URL; one that does not open moves the next connection to the next
 * URL. A link that drops keeps its URL (a resume works only on the same
 * server); if that server is gone, the retry fails to open and moves on,
 * and the room client rejoins there with its tracks.
 */
export function failoverChannels(
  urls: readonly string[],
  options: WebSocketChannelOptions = {},
): () => SignalingChannel {
  if (!Array.isArray(urls) || urls.length === 0 || urls.length > 16) {
    throw new TypeError('failoverChannels: give 1 to 16 ws:// or wss:// URLs');
  }
  // Each URL is checked now, by the channel's own constructor.
  for (const url of urls) new WebSocketChannel(url, options);
  let cursor = 0;
  return () => {
    const at = cursor;
    const channel = new WebSocketChannel(urls[at % urls.length] as string, options);
    const open = channel.open.bind(channel);
    channel.open = () =>
      open().catch((error: unknown) => {
        if (cursor === at) cursor = at + 1;
        throw error;
      });
    return channel;
  };
}
