import type { SignalingChannel } from '../SignalingChannel.js';

/**
 * An in-memory duplex text channel for unit tests. Messages cross on a later
 * macrotask (`setImmediate`), as over a network, so nothing in the room can
 * rely on a synchronous answer.
 */
export class MemoryChannel implements SignalingChannel {
  onmessage: ((text: string) => void) | null = null;
  onclose: ((reason: string) => void) | null = null;
  /** The far end's receive function, set by whoever plays the server. */
  deliverToServer: (text: string) => void = () => undefined;
  /** Called when the client closes (or the channel is cut). */
  onClientClose: () => void = () => undefined;
  #open = false;
  #closed = false;
  /** When true, messages in both directions vanish (a dead network that never says so). */
  blackhole = false;

  /** When true, `open()` fails (nobody listens at the far end). */
  refuseOpen = false;

  async open(): Promise<void> {
    if (this.#closed) throw new Error('channel closed');
    if (this.refuseOpen) throw new Error('connection refused');
    this.#open = true;
  }

  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  send(text: string): void {
    if (!this.isOpen) throw new Error('channel not open');
    if (this.blackhole) return;
    setImmediate(() => {
      if (!this.#closed && !this.blackhole) this.deliverToServer(text);
    });
  }

  /** Server side: a message to the client. */
  push(text: string): void {
    if (!this.isOpen || this.blackhole) return;
    setImmediate(() => {
      if (!this.#closed && !this.blackhole) this.onmessage?.(text);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClientClose();
  }

  /** The server (or network) closes it: the client hears `onclose`. */
  cut(reason = 'cut by the test'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClientClose();
    setImmediate(() => this.onclose?.(reason));
  }
}
