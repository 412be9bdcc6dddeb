import {
  type ClientEndpoint,
  type ClientRequests,
  createClientEndpoint,
  type NotificationUnion,
  ProtocolError,
  type RequestData,
  type RequestUnion,
  type ResponseData,
  type ServerNotifications,
  type ServerRequests,
} from '@vroom/protocol';
import { Logger } from '../Logger.js';
import { RoomError } from './errors.js';
import { Heartbeat, type HeartbeatOptions } from './Heartbeat.js';
import type { SignalingChannel } from './SignalingChannel.js';

const logger = new Logger('room:SignalingSession');

export type Request = <M extends keyof ClientRequests & string>(
  method: M,
  data: RequestData<ClientRequests, M>,
) => Promise<ResponseData<ClientRequests, M>>;

export type SignalingSessionOptions = {
  channel: SignalingChannel;
  onRequest: (request: RequestUnion<ServerRequests>) => Promise<unknown>;
  onNotification: (notification: NotificationUnion<ServerNotifications>) => void;
  /**
   * THE place where "signaling lost" is reported: the channel closed by
   * itself or the heartbeat heard nothing. Called at most once, never after
   * `close()`.
   */
  onLost: (error: RoomError) => void;
  heartbeat: Required<HeartbeatOptions> | false;
  requestTimeoutMs: number;
  /** A resumed session goes on from the last notification number the previous one processed. */
  lastSeq?: number;
};

/**
 * One connection to the server: a channel, the protocol endpoint on it and
 * its heartbeat. It lives for one connection, not for the room: a new join
 * or a resume makes a new session.
 */
export class SignalingSession {
  readonly #channel: SignalingChannel;
  readonly #endpoint: ClientEndpoint;
  readonly #heartbeat: Heartbeat | undefined;
  readonly #onLost: (error: RoomError) => void;
  #ended = false;
  #lastSeq = 0;

  constructor(options: SignalingSessionOptions) {
    this.#channel = options.channel;
    this.#onLost = options.onLost;
    this.#lastSeq = options.lastSeq ?? 0;
    this.#endpoint = createClientEndpoint({
      send: (text) => this.#channel.send(text),
      onRequest: options.onRequest,
      onNotification: (notification, seq) => {
        // Numbered notifications let a resumed session ask for what it missed;
        // one numbered at or below what was processed already is a replay seen before.
        if (seq !== undefined) {
          if (seq <= this.#lastSeq) {
            logger.debug('skipped notification %d (already processed)', seq);
            return;
          }
          this.#lastSeq = seq;
        }
        options.onNotification(notification);
      },
      onError: (error) => logger.warn('protocol error: %s', error.message),
      requestTimeoutMs: options.requestTimeoutMs,
    });
    if (options.heartbeat) {
      this.#heartbeat = new Heartbeat({
        ...options.heartbeat,
        ping: () => this.#endpoint.request('ping', {}),
        onDead: (silentMs) => this.#lost(RoomError.signalingTimeout(silentMs)),
      });
    }
    this.#channel.onmessage = (text) => {
      this.#heartbeat?.heard();
      this.#endpoint.receive(text);
    };
    this.#channel.onclose = (why) => this.#lost(RoomError.signalingClosed(why));
  }

  /** Number of the last notification processed (0 if the server does not number them). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get ended(): boolean {
    return this.#ended;
  }

  async open(): Promise<void> {
    try {
      await this.#channel.open();
    } catch (error) {
      this.close();
      throw RoomError.channelNotOpened(error);
    }
    if (this.#ended) throw RoomError.signalingClosed('closed while opening');
    this.#heartbeat?.start();
  }

  /** A typed request; rejects with the server's `ProtocolError` (or CLOSED/TIMEOUT). */
  readonly request: Request = (method, data) => {
    if (this.#ended) return Promise.reject(ProtocolError.closed('the signaling session ended'));
    return this.#endpoint.request(method, data);
  };

  /** The network changed: checks at once that the channel still carries (see `Heartbeat.probe`). */
  probe(): void {
    if (!this.#ended) this.#heartbeat?.probe();
  }

  /** Ends the session deliberately (leave, teardown): no `onLost`. `code`: see `SignalingChannel.close`. */
  close(code?: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#heartbeat?.stop();
    this.#endpoint.close(ProtocolError.closed('the room client closed the signaling session'));
    this.#channel.onmessage = null;
    this.#channel.onclose = null;
    this.#channel.close(code);
  }

  #lost(error: RoomError): void {
    if (this.#ended) return;
    logger.warn('signaling lost: %s', error.message);
    this.close();
    this.#onLost(error);
  }
}
