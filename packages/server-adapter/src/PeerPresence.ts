import { CloseCode } from './Connection.js';
import type { Room } from './Room.js';

/**
 * What a closed signaling connection means for the session behind it:
 * - `left`: a clean close (1000, or 1001 which browsers send when a page
 *   closes or navigates away): the peer is gone now, not in a minute;
 * - `pageHidden`: the page went away but said it may come back (a reload,
 *   `CloseCode.PageHidden`): the seat is held briefly, silently;
 * - `lost`: anything else (no close frame, a client dropping a dead
 *   connection): the link is presumed cut, the session waits for a resume.
 */
export type CloseMeaning = 'left' | 'pageHidden' | 'lost';

export function closeMeaning(code: number | undefined): CloseMeaning {
  if (code === 1000 || code === 1001) return 'left';
  if (code === CloseCode.PageHidden) return 'pageHidden';
  return 'lost';
}

/** Who a peer is, as far as telling the others about its link goes. */
interface PresenceSubject {
  readonly id: string;
  readonly room: Room | undefined;
  readonly announced: boolean;
}

/**
 * What the others are told about a peer's link while its session outlives
 * its connection: `reconnecting` when the link is lost (its video froze),
 * `connected` when it resumes. A page that is only reloading is held for a
 * short grace without a word, so a reload shows no flicker.
 */
export class PeerPresence {
  readonly #subject: PresenceSubject;
  #reconnectingTold = false;
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(subject: PresenceSubject) {
    this.#subject = subject;
  }

  /** The link was lost: the others see the peer `reconnecting`. */
  lost(): void {
    this.#clearReload();
    if (this.#reconnectingTold) return;
    this.#reconnectingTold = this.#tell('reconnecting');
  }

  /** The page went away and may reload: `expire` ends the session after `graceMs`. */
  pageHidden(graceMs: number, expire: () => void): void {
    this.#clearReload();
    this.#reloadTimer = setTimeout(expire, graceMs);
    this.#reloadTimer.unref?.();
  }

  /** A new connection took the session over: `connected` if they heard `reconnecting`. */
  back(): void {
    this.#clearReload();
    if (!this.#reconnectingTold) return;
    this.#reconnectingTold = false;
    this.#tell('connected');
  }

  /** The session ended (its `peerLeft` says the rest). */
  clear(): void {
    this.#clearReload();
    this.#reconnectingTold = false;
  }

  #tell(state: 'reconnecting' | 'connected'): boolean {
    const { room, announced, id } = this.#subject;
    if (!room || room.closed || !announced) return false;
    for (const other of room.peers.values()) {
      if (other.id !== id && other.announced) {
        other.notify('peerConnectionState', { peerId: id, state });
      }
    }
    return true;
  }

  #clearReload(): void {
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    this.#reloadTimer = undefined;
  }
}
