// A room participant with no browser: RoomClient over the Node handler
// (@roamhq/wrtc) and `ws`. It sends synthetic camera and microphone tracks,
// counts what it receives, and echoes chat.
import wrtc from '@roamhq/wrtc';
import { Node } from '@vroom/client/handlers/Node';
import { failoverChannels, MAX_CHAT_LENGTH, RoomClient } from '@vroom/client/room';
import { WebSocket } from 'ws';
import type { BotLog } from './BotLog.js';
import type { BotOptions } from './options.js';
import { ReceivedMedia } from './ReceivedMedia.js';
import {
  type SyntheticTrack,
  startSyntheticCamera,
  startSyntheticMicrophone,
} from './syntheticMedia.js';

/** Echoes start with this, and the bot does not answer them: two bots do not loop. */
export const ECHO_PREFIX = 'bot heard: ';

export class VideoBot {
  readonly room: RoomClient;
  readonly received = new ReceivedMedia();
  readonly #options: BotOptions;
  readonly #log: BotLog;
  #camera: SyntheticTrack | undefined;
  #microphone: SyntheticTrack | undefined;
  #statsTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #reconnecting = false;
  /** Until join() resolves, a failure is its rejection (start() reports it), not a loss. */
  #joined = false;

  /** `onLost` runs when the room ends without `stop()` (server gone, room closed). */
  constructor(options: BotOptions, log: BotLog, onLost: (reason: string) => void) {
    this.#options = options;
    this.#log = log;
    this.room = new RoomClient({
      // Several URLs (cluster nodes): the next one when a server is gone.
      ...(options.urls.length > 1
        ? { channel: failoverChannels(options.urls, { WebSocket }) }
        : { url: options.url, WebSocket }),
      roomId: options.room,
      displayName: options.name,
      device: { handlerFactory: Node.createFactory({ wrtc }) },
    });
    this.#listen(onLost);
  }

  async start(): Promise<void> {
    const { room } = this;
    await room.join();
    this.#joined = true;
    this.#log({
      event: 'joined',
      room: this.#options.room,
      peerId: room.peerId ?? '',
      url: this.#options.url,
    });
    this.#camera = startSyntheticCamera(this.#options);
    this.#microphone = startSyntheticMicrophone();
    // Both in one task: one renegotiation and one round trip for the two producers.
    // No simulcast: three software VP8 encodes are a waste for a bot on a small machine.
    await Promise.all([
      room.enableCamera({ track: this.#camera.track, simulcast: false }),
      room.enableMicrophone({ track: this.#microphone.track }),
    ]);
    const { width, height, fps } = this.#options;
    this.#log({ event: 'publishing', width, height, fps });
    this.#statsTimer = setInterval(() => this.#logStats(), this.#options.statsEvery * 1000);
  }

  /** Leaves the room and stops every timer, source and sink. */
  async stop(reason: string): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#statsTimer);
    if (this.#camera) this.#logStats();
    await this.room.leave().catch(() => undefined);
    // The room never stops tracks the app passed in: ours to stop.
    this.#camera?.stop();
    this.#microphone?.stop();
    this.received.stop();
    this.#log({ event: 'left', reason });
  }

  #logStats(): void {
    this.#log({
      event: 'stats',
      sentVideoFrames: this.#camera?.produced ?? 0,
      sentAudioChunks: this.#microphone?.produced ?? 0,
      received: this.received.snapshot(),
    });
  }

  #listen(onLost: (reason: string) => void): void {
    const { room } = this;
    room.on('peerjoined', (peer) =>
      this.#log({ event: 'peerjoined', peerId: peer.id, displayName: peer.displayName }),
    );
    room.on('peerleft', (peer) =>
      this.#log({ event: 'peerleft', peerId: peer.id, displayName: peer.displayName }),
    );
    room.on('trackadded', (track) => this.received.add(track));
    room.on('trackremoved', (track) => this.received.remove(track));
    room.on('chat', ({ peer, text }) => {
      this.#log({ event: 'chat', from: peer.id, displayName: peer.displayName, text });
      if (text.startsWith(ECHO_PREFIX)) return;
      const echo = `${ECHO_PREFIX}${text}`.slice(0, MAX_CHAT_LENGTH);
      room.sendChat(echo).then(
        () => this.#log({ event: 'echoed', text: echo }),
        (error: unknown) =>
          this.#log({ event: 'error', message: `chat echo failed: ${String(error)}` }),
      );
    });
    room.on('error', (error) => this.#log({ event: 'error', message: error.message }));
    room.on('roomclosed', ({ reason }) =>
      this.#log({ event: 'error', message: `room closed (${reason})` }),
    );
    room.on('connectionstatechange', (state) => {
      if (this.#stopping || !this.#joined) return;
      // After the join: lost signaling is retried by the room (`reconnecting`);
      // only when it gives up (or the room is gone) does the bot stop.
      const back = state === 'connected' && this.#reconnecting;
      this.#reconnecting = state === 'reconnecting';
      if (this.#reconnecting || back) this.#log({ event: 'state', state });
      if (state === 'disconnected' || state === 'failed') onLost(`connection ${state}`);
    });
  }
}
