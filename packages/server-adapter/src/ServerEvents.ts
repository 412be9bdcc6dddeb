import type { PeerPermissions } from '@vroom/protocol';
import { createLogger } from './logger.js';

const log = createLogger('ServerEvents');

/** Why a peer left its room (`peerLeft`). */
export type PeerLeftReason =
  /** It sent `leave`. */
  | 'left'
  /** Its session ended: connection lost past the resume window, or closed by the server. */
  | 'sessionEnded'
  /** The application removed it (moderation). */
  | 'removed'
  /** Its room closed under it (server closing, or the application closed the room). */
  | 'roomClosed'
  /** The worker process of its room died. */
  | 'workerDied';

/**
 * What the server tells the application, by event name. Payloads are plain
 * snapshots (ids and data), never live mediasoup objects: a listener cannot
 * reach into the adapter's state through them.
 */
export interface ServerEventMap {
  roomCreated: { roomId: string };
  roomClosed: { roomId: string; reason: 'closed' | 'workerDied' };
  /** Emitted for hidden peers too (the app sees everyone; the other peers do not). */
  peerJoined: {
    roomId: string;
    peerId: string;
    displayName: string;
    appData: Record<string, unknown>;
    hidden: boolean;
  };
  peerLeft: { roomId: string; peerId: string; reason: PeerLeftReason };
  /** Its signaling connection dropped; the session waits for a resume. */
  peerReconnecting: { roomId: string; peerId: string };
  /** A dropped session was taken over by a new connection. */
  peerResumed: { roomId: string; peerId: string };
  producerCreated: {
    roomId: string;
    peerId: string;
    producerId: string;
    kind: 'audio' | 'video';
    /** `appData.source` as the client sent it (e.g. 'camera', 'screen'), if a string. */
    source: string | undefined;
    /** The client's `appData` of the producer, as sent in `produce`. */
    appData: Record<string, unknown>;
  };
  producerPaused: { roomId: string; peerId: string; producerId: string };
  producerResumed: { roomId: string; peerId: string; producerId: string };
  producerClosed: { roomId: string; peerId: string; producerId: string };
  dataProducerCreated: { roomId: string; peerId: string; dataProducerId: string; label: string };
  /** The application changed a peer's permissions (`server.setPermissions`). */
  permissionsChanged: { roomId: string; peerId: string; permissions: PeerPermissions };
  /** A mediasoup worker process died; its rooms close (roomClosed, workerDied) and it is replaced. */
  workerDied: { pid: number; error: Error };
}

export type ServerEventName = keyof ServerEventMap;
export type ServerEventListener<E extends ServerEventName> = (
  event: ServerEventMap[E],
) => void | Promise<void>;

type AnyListener = (event: never) => void | Promise<void>;

/**
 * The server's typed events for applications (`server.events`).
 *
 * Delivery is decoupled from the adapter: `emit` queues a microtask, so a
 * listener runs after the adapter has finished the step that caused the
 * event (it may call back into the server safely), in emit order. A
 * listener that throws, or returns a promise that rejects, is logged on
 * `vroom:server:ERROR:ServerEvents` and the others still run; a returned
 * promise is never awaited, so a slow listener holds up no request.
 */
export class ServerEvents {
  readonly #listeners = new Map<ServerEventName, AnyListener[]>();
  /** `once` listeners by the function the app passed, so `off(name, thatFunction)` works. */
  readonly #onceWrappers = new WeakMap<AnyListener, AnyListener>();

  on<E extends ServerEventName>(name: E, listener: ServerEventListener<E>): this {
    const list = this.#listeners.get(name) ?? [];
    list.push(listener as AnyListener);
    this.#listeners.set(name, list);
    return this;
  }

  off<E extends ServerEventName>(name: E, listener: ServerEventListener<E>): this {
    const list = this.#listeners.get(name);
    if (!list) return this;
    let index = list.lastIndexOf(listener as AnyListener);
    if (index < 0) {
      const wrapper = this.#onceWrappers.get(listener as AnyListener);
      if (wrapper) index = list.lastIndexOf(wrapper);
    }
    if (index >= 0) list.splice(index, 1);
    return this;
  }

  once<E extends ServerEventName>(name: E, listener: ServerEventListener<E>): this {
    let fired = false;
    // Two emits may be queued before the first delivery: only one may reach it.
    const wrapper: ServerEventListener<E> = (event) => {
      this.off(name, wrapper);
      if (fired) return;
      fired = true;
      return listener(event);
    };
    this.#onceWrappers.set(listener as AnyListener, wrapper as AnyListener);
    return this.on(name, wrapper);
  }

  listenerCount(name: ServerEventName): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  /**
   * For the adapter: queues delivery to the listeners registered now (as
   * Node's EventEmitter would call them); never throws, never waits.
   */
  emit<E extends ServerEventName>(name: E, event: ServerEventMap[E]): void {
    const listeners = this.#listeners.get(name);
    if (!listeners?.length) return;
    const snapshot = [...listeners];
    queueMicrotask(() => deliver(name, event, snapshot));
  }
}

function deliver<E extends ServerEventName>(
  name: E,
  event: ServerEventMap[E],
  listeners: AnyListener[],
): void {
  for (const listener of listeners) {
    try {
      const result = (listener as ServerEventListener<E>)(event);
      if (result && typeof result.then === 'function') {
        result.then(undefined, (error: unknown) => report(name, error));
      }
    } catch (error) {
      report(name, error);
    }
  }
}

function report(name: string, error: unknown): void {
  log.error('a "%s" listener failed (the adapter goes on): %s', name, error);
}
