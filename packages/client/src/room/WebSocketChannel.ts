import { Logger } from '../Logger.js';
import type { SignalingChannel } from './SignalingChannel.js';

const logger = new Logger('room:WebSocketChannel');

/** The events a WebSocket hands to its listeners, as far as this channel reads them. */
export type WebSocketEventLike = {
  readonly type?: string;
  data?: unknown;
  code?: number;
  reason?: string;
};

/** The part of the WHATWG WebSocket API used: browsers' `WebSocket` and `ws`'s class both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: WebSocketEventLike) => void): void;
}

export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

export type WebSocketChannelOptions = {
  /**
   * The WebSocket class; default `globalThis.WebSocket`. Node 20 has none:
   * pass `ws`'s (`import { WebSocket } from 'ws'`).
   */
  WebSocket?: WebSocketConstructor;
  protocols?: string | string[];
};

const OPEN = 1;
/** The room dropped this connection (dead, stale, aborted): not a leave. */
const DROPPED_CLOSE_CODE = 4000;
const decoder = new TextDecoder();

/** A `ws://` or `wss://` URL that parses (no `URL.canParse`: Safari < 17, React Native). */
export function isWebSocketUrl(url: string): boolean {
  if (!/^wss?:\/\//i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** A `SignalingChannel` over one WebSocket connection. */
export class WebSocketChannel implements SignalingChannel {
  readonly url: string;
  onmessage: ((text: string) => void) | null = null;
  onclose: ((reason: string) => void) | null = null;
  readonly #WebSocket: WebSocketConstructor;
  readonly #protocols: string | string[] | undefined;
  #socket: WebSocketLike | undefined;
  #closed = false;

  constructor(url: string, options: WebSocketChannelOptions = {}) {
    if (typeof url !== 'string' || !isWebSocketUrl(url)) {
      throw new TypeError(
        `invalid WebSocket url "${String(url)}": use ws://host/path or wss://host/path`,
      );
    }
    const Ctor =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (typeof Ctor !== 'function') {
      throw new TypeError(
        'no WebSocket class in this environment (Node 20): pass { WebSocket } from the "ws" package',
      );
    }
    this.url = url;
    this.#WebSocket = Ctor;
    this.#protocols = options.protocols;
  }

  open(): Promise<void> {
    if (this.#socket)
      return Promise.reject(
        new Error('WebSocketChannel.open() called twice: create a new channel per connection'),
      );
    const socket = new this.#WebSocket(this.url, this.#protocols);
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      socket.addEventListener('open', () => {
        opened = true;
        resolve();
      });
      socket.addEventListener('message', (event) => {
        const text = toText(event.data);
        if (text === undefined) {
          logger.warn('dropped a non-text message');
          return;
        }
        this.onmessage?.(text);
      });
      socket.addEventListener('error', () => {
        // Browsers give no reason on 'error'; 'close' follows with a code.
        logger.debug('socket error');
      });
      socket.addEventListener('close', (event) => {
        const why = `code ${event.code ?? '?'}${event.reason ? `, ${event.reason}` : ''}`;
        if (!opened) {
          reject(new Error(`WebSocket to ${this.url} did not open (${why})`));
          return;
        }
        if (this.#closed) return;
        this.#closed = true;
        this.onclose?.(why);
      });
    });
  }

  send(text: string): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) throw new Error('WebSocket is not open');
    socket.send(text);
  }

  /**
   * Without a code: 4000, a connection the room gives up on but whose
   * session it may resume (the server keeps the seat); 1000 would be a leave.
   */
  close(code = DROPPED_CLOSE_CODE): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#socket?.close(
        code,
        code === DROPPED_CLOSE_CODE ? 'dropped by the client' : 'page closed',
      );
    } catch (error) {
      logger.debug('close() failed: %o', error);
    }
  }
}

function toText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return decoder.decode(data);
  if (ArrayBuffer.isView(data)) return decoder.decode(data);
  return undefined;
}
