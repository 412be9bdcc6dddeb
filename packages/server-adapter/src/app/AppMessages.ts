import {
  type AppNotificationData,
  type AppProtocol,
  type AppRequestData,
  type AppResponseData,
  ErrorCode,
  ProtocolError,
  validateAppNotification,
  validateAppRequest,
} from '@vroom/protocol';
import { createLogger } from '../logger.js';
import type { Peer } from '../Peer.js';
import type { SfuServer } from '../SfuServer.js';

const log = createLogger('app:AppMessages');

/** What an app request handler knows of its caller. */
export interface AppRequestContext {
  /** The calling peer (joined): `id`, `identity`, `permissions`... */
  peer: Peer;
  roomId: string;
}

/**
 * One handler per request of the app's protocol (the compiler checks none
 * is missing), typed by its schemas. Throw a `ProtocolError` (e.g.
 * `ProtocolError.forbidden(...)`) to refuse with its code; anything else
 * the client sees as INTERNAL.
 */
export type AppRequestHandlers<P extends AppProtocol> = {
  [M in keyof P['requests'] & string]: (
    data: AppRequestData<P, M>,
    context: AppRequestContext,
  ) => Promise<AppResponseData<P, M>> | AppResponseData<P, M>;
};

/**
 * The server's end of an application protocol: answers its requests with
 * the app's handlers and sends its notifications, each checked against the
 * app's schemas. Requests share every limit of built-in ones (size, rate,
 * the peer's serial queue); notifications are numbered like state
 * notifications, so a resumed session gets those it missed.
 */
export class AppMessages<P extends AppProtocol> {
  readonly #server: SfuServer;
  readonly #protocol: P;
  readonly #handlers: AppRequestHandlers<P>;

  constructor(server: SfuServer, protocol: P, handlers: AppRequestHandlers<P>) {
    this.#server = server;
    this.#protocol = protocol;
    this.#handlers = handlers;
    server.setAppRequestHandler((peer, method, data) => this.#answer(peer, method, data));
  }

  /** Sends an app notification to one joined peer; NOT_FOUND / INVALID_DATA (ProtocolError). */
  notifyPeer<M extends keyof P['notifications'] & string>(
    roomId: string,
    peerId: string,
    method: M,
    data: AppNotificationData<P, M>,
  ): void {
    const peer = this.#server.peer(roomId, peerId);
    peer.notify('appNotification', { method, data: this.#checked(method, data) });
  }

  /**
   * Sends an app notification to every peer of a room (hidden ones too),
   * but `except`; returns how many got it (0 for a room that is not open).
   */
  notifyRoom<M extends keyof P['notifications'] & string>(
    roomId: string,
    method: M,
    data: AppNotificationData<P, M>,
    options: { except?: string } = {},
  ): number {
    const checked = this.#checked(method, data);
    let count = 0;
    for (const peer of this.#server.room(roomId)?.peers ?? []) {
      if (peer.id === options.except || !peer.announced) continue;
      peer.notify('appNotification', { method, data: checked });
      count++;
    }
    return count;
  }

  /** The app's own bug, caught before anything is sent. */
  #checked(method: string, data: unknown): unknown {
    const result = validateAppNotification(this.#protocol, method, data);
    if (!result.ok) throw result.error;
    return result.data;
  }

  async #answer(peer: Peer, method: string, data: unknown): Promise<unknown> {
    const request = validateAppRequest(this.#protocol, method, 'request', data);
    if (!request.ok) throw request.error;
    const room = peer.requireRoom();
    // Indexing by a checked name: `validateAppRequest` found `method` in the table.
    const handler = this.#handlers[method as keyof P['requests'] & string] as (
      data: unknown,
      context: AppRequestContext,
    ) => unknown;
    if (typeof handler !== 'function') throw ProtocolError.unknownMethod(method);
    let response: unknown;
    try {
      response = await handler(request.data, { peer, roomId: room.id });
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      // Not mediasoup's TypeError -> INVALID_DATA mapping: the app's bug is not the client's.
      log.error('app handler of "%s" failed: %s', method, error);
      throw new ProtocolError(ErrorCode.Internal, `the server's "${method}" handler failed`);
    }
    const checked = validateAppRequest(this.#protocol, method, 'response', response);
    if (!checked.ok) {
      log.error('app handler of "%s" answered outside its schema: %s', method, checked.error);
      throw new ProtocolError(ErrorCode.Internal, `the server's "${method}" handler failed`);
    }
    return checked.data;
  }
}

/** Serves an app protocol on `server` (one per server). */
export function serveAppMessages<P extends AppProtocol>(
  server: SfuServer,
  protocol: P,
  handlers: AppRequestHandlers<P>,
): AppMessages<P> {
  return new AppMessages(server, protocol, handlers);
}
