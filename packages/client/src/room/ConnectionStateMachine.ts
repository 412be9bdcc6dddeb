import { Logger } from '../Logger.js';
import type { ConnectionState } from './events.js';

const logger = new Logger('room:ConnectionState');

/**
 * The allowed moves. Issue #7 (resume) only adds the `reconnecting` moves'
 * triggers; the table already has them so the state's consumers are ready.
 */
const TRANSITIONS: Record<ConnectionState, readonly ConnectionState[]> = {
  new: ['connecting', 'disconnected'],
  connecting: ['connected', 'failed', 'disconnected'],
  connected: ['reconnecting', 'disconnected', 'failed'],
  reconnecting: ['connected', 'disconnected', 'failed'],
  disconnected: ['connecting'],
  failed: ['connecting', 'disconnected'],
};

/** The room's connection state; announces each change once. */
export class ConnectionStateMachine {
  #state: ConnectionState = 'new';
  readonly #onChange: (state: ConnectionState) => void;

  constructor(onChange: (state: ConnectionState) => void) {
    this.#onChange = onChange;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Moves to `next` if the table allows it; returns whether it moved. */
  set(next: ConnectionState): boolean {
    if (next === this.#state) return false;
    if (!TRANSITIONS[this.#state].includes(next)) {
      // A bug of ours, not of the app: log it and keep a coherent state.
      logger.warn('ignored transition %s -> %s', this.#state, next);
      return false;
    }
    logger.debug('%s -> %s', this.#state, next);
    this.#state = next;
    this.#onChange(next);
    return true;
  }
}
