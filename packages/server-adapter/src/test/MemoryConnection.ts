import type { Connection } from '../Connection.js';

type Data = string | ArrayBuffer | Uint8Array;

/**
 * One end of an in-memory signaling channel. Delivery is asynchronous (one
 * message per macrotask), like a real socket, so tests see the same
 * interleavings the server sees in production. Stands in for a WebSocket so
 * adapter tests need no network; `bindings/ws.test.ts` covers the real one.
 */
export class MemoryConnection implements Connection {
  other!: MemoryConnection;
  closed = false;
  closeCode: number | undefined;
  closeReason: string | undefined;
  readonly #messageListeners: ((data: Data) => void)[] = [];
  readonly #closeListeners: ((code?: number) => void)[] = [];

  send(text: string): void {
    this.sendRaw(text);
  }

  /** Any bytes at all: tests use it for garbage the typed API would refuse. */
  sendRaw(data: Data): void {
    if (this.closed) throw new Error('connection closed');
    const receiver = this.other;
    setImmediate(() => {
      if (receiver.closed) return;
      for (const listener of receiver.#messageListeners) listener(data);
    });
  }

  /** Like a socket: messages sent before the close still arrive, then both ends close. */
  close(code?: number, reason?: string): void {
    if (this.closed) return;
    this.#markClosed(code, reason);
    setImmediate(() => {
      this.other.#markClosed(code, reason);
      for (const end of [this, this.other]) {
        for (const listener of end.#closeListeners) listener(code);
      }
    });
  }

  #markClosed(code: number | undefined, reason: string | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = code;
    this.closeReason = reason;
  }

  onMessage(listener: (data: Data) => void): void {
    this.#messageListeners.push(listener);
  }

  onClose(listener: (code?: number) => void): void {
    this.#closeListeners.push(listener);
  }
}

/** `[serverSide, clientSide]`, wired to each other. */
export function createConnectionPair(): [MemoryConnection, MemoryConnection] {
  const server = new MemoryConnection();
  const client = new MemoryConnection();
  server.other = client;
  client.other = server;
  return [server, client];
}
