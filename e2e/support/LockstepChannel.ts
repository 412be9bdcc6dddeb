import type { SignalingChannel } from '@vroom/client/room';
import { WebSocket } from 'ws';

/** One message as the client sent or received it, with the round it belongs to. */
export type LoggedMessage = {
  direction: 'out' | 'in';
  round: number;
  /** Requests and notifications. */
  method?: string;
  id?: number | null;
  /** Responses: whether the answer was OK. */
  ok?: boolean;
  data?: unknown;
};

/**
 * A signaling channel that counts SEQUENTIAL round trips, not time (issue 13).
 * What the client sends goes to the real server at once; what the server
 * sends is held until `deliver()`, which hands everything held to the client
 * together. Round 1 is what the client sends before any delivery; round k+1
 * is what it sends after the k-th delivery. A message of round k was sent
 * only after the answers to round k-1 arrived (they were held until then),
 * so on a real network it leaves k round trips after the start at the
 * earliest, however fast the machine. "Sequential round trips before X" is
 * the round of the last client message X waited for: an answer delivered
 * after round k costs k round trips.
 */
export class LockstepChannel implements SignalingChannel {
  onmessage: ((text: string) => void) | null = null;
  onclose: ((reason: string) => void) | null = null;
  readonly log: LoggedMessage[] = [];
  round = 1;
  #socket: WebSocket | undefined;
  #held: string[] = [];
  #lastActivity = Date.now();
  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
  }

  open(): Promise<void> {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.on('message', (raw) => {
      this.#held.push(String(raw));
      this.#lastActivity = Date.now();
    });
    socket.on('close', () => this.onclose?.('closed by the server'));
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    if (this.#socket?.readyState !== WebSocket.OPEN) throw new Error('channel not open');
    this.#record('out', text);
    this.#socket.send(text);
    this.#lastActivity = Date.now();
  }

  close(): void {
    this.onclose = null;
    this.#socket?.close();
  }

  /** Messages the server sent that the client has not seen yet. */
  get held(): number {
    return this.#held.length;
  }

  /** Resolves once nothing moved either way for `quietMs` (both ends idle). */
  async quiet(quietMs: number): Promise<void> {
    for (;;) {
      const idle = Date.now() - this.#lastActivity;
      if (idle >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, quietMs - idle));
    }
  }

  /** Ends the round: everything held reaches the client; what it sends next is the next round. */
  deliver(): void {
    const batch = this.#held;
    this.#held = [];
    for (const text of batch) this.#record('in', text);
    this.round++;
    for (const text of batch) this.onmessage?.(text);
    this.#lastActivity = Date.now();
  }

  #record(direction: 'out' | 'in', text: string): void {
    const message = JSON.parse(text) as LoggedMessage & { method?: string };
    const { method, id, ok, data } = message;
    this.log.push({
      direction,
      round: this.round,
      ...(method !== undefined ? { method } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(ok !== undefined ? { ok } : {}),
      ...(data !== undefined ? { data } : {}),
    });
  }
}
