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
/** A connection not open after this long gets a second socket racing it (see `open`). */
export const RACE_AFTER_MS = 500;
const decoder = new TextDecoder();

/** A `SignalingChannel` over one WebSocket connection. */
export class WebSocketChannel implements SignalingChannel {
  readonly url: string;
  onmessage: ((text: string) => void) | null = null;
  onclose: ((reason: string) => void) | null = null;
  readonly #WebSocket: WebSocketConstructor;
  readonly #protocols: string | string[] | undefined;
  /** The socket that opened (the winner, if two raced). */
  #socket: WebSocketLike | undefined;
  /** Every socket `open()` started (one, or two when they raced). */
  readonly #tries: WebSocketLike[] = [];
  #opening = false;
  #closed = false;

  constructor(url: string, options: WebSocketChannelOptions = {}) {
    if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) {
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

  /**
   * Opens the connection. If it is not open after `RACE_AFTER_MS`, a second
   * socket races the first and the first to open wins (the other is
   * closed): the first packets after a network comes back are often lost
   * (a neighbour entry to relearn, a radio waking up), and a lost SYN is
   * only sent again by the kernel after a second. Rejects when every
   * socket started has failed.
   */
  open(): Promise<void> {
    if (this.#opening)
      return Promise.reject(
        new Error('WebSocketChannel.open() called twice: create a new channel per connection'),
      );
    this.#opening = true;
    return new Promise<void>((resolve, reject) => {
      const tries = this.#tries;
      let failed = 0;
      let settled = false;
      const start = () => {
        const socket = new this.#WebSocket(this.url, this.#protocols);
        socket.binaryType = 'arraybuffer';
        tries.push(socket);
        socket.addEventListener('open', () => {
          if (this.#closed) {
            socket.close(1000, 'client closed'); // closed while opening: its 'close' rejects
            return;
          }
          if (settled) {
            if (this.#socket !== socket) socket.close(1000, 'another attempt opened first');
            return;
          }
          settled = true;
          clearTimeout(race);
          this.#socket = socket;
          for (const other of tries) {
            if (other !== socket) other.close(1000, 'another attempt opened first');
          }
          resolve();
        });
        socket.addEventListener('message', (event) => {
          if (this.#socket !== socket) return;
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
          if (this.#socket === socket) {
            if (this.#closed) return;
            this.#closed = true;
            this.onclose?.(why);
            return;
          }
          if (settled || ++failed < tries.length) return;
          settled = true;
          clearTimeout(race);
          reject(new Error(`WebSocket to ${this.url} did not open (${why})`));
        });
      };
      const race = setTimeout(() => {
        if (settled || this.#closed) return;
        logger.debug('not open after %d ms: racing a second socket', RACE_AFTER_MS);
        start();
      }, RACE_AFTER_MS);
      start();
    });
  }

  send(text: string): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) throw new Error('WebSocket is not open');
    socket.send(text);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of this.#tries) {
      try {
        socket.close(1000, 'client closed');
      } catch (error) {
        logger.debug('close() failed: %o', error);
      }
    }
  }
}

function toText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return decoder.decode(data);
  if (ArrayBuffer.isView(data)) return decoder.decode(data);
  return undefined;
}
