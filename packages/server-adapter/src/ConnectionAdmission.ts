import { addressGroup } from './addressGroup.js';
import { CloseCode } from './Connection.js';
import type { Limits } from './limits.js';

/** A connection let in (`release` frees its slot when it closes) or turned away. */
export type Admission =
  | { admitted: true; release: () => void }
  | { admitted: false; code: number; reason: string };

/**
 * Connection slots: `maxConnections` in all (each is a file descriptor of
 * this process) and `connectionsPerAddress` per remote address, IPv6
 * grouped by /64 (see `addressGroup`). Counted while open, joined or not.
 */
export class ConnectionAdmission {
  readonly #limits: Pick<Limits, 'maxConnections' | 'connectionsPerAddress'>;
  readonly #perGroup = new Map<string, number>();
  #total = 0;

  constructor(limits: Pick<Limits, 'maxConnections' | 'connectionsPerAddress'>) {
    this.#limits = limits;
  }

  get total(): number {
    return this.#total;
  }

  admit(address: string | undefined): Admission {
    if (this.#total >= this.#limits.maxConnections) {
      return {
        admitted: false,
        code: CloseCode.TryAgainLater,
        reason: `server full: ${this.#limits.maxConnections} connections`,
      };
    }
    const group = address === undefined ? undefined : addressGroup(address);
    const count = group === undefined ? 0 : (this.#perGroup.get(group) ?? 0);
    if (group !== undefined && count >= this.#limits.connectionsPerAddress) {
      return {
        admitted: false,
        code: CloseCode.TooManyConnections,
        reason: `too many connections from this address (${this.#limits.connectionsPerAddress})`,
      };
    }
    this.#total++;
    if (group !== undefined) this.#perGroup.set(group, count + 1);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#total--;
        if (group === undefined) return;
        const left = (this.#perGroup.get(group) ?? 1) - 1;
        if (left > 0) this.#perGroup.set(group, left);
        else this.#perGroup.delete(group);
      },
    };
  }
}
