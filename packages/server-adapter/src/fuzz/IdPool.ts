import type { RefKind } from './wire.js';

type PoolKind = Exclude<RefKind, 'requestId'>;

/**
 * Ids the server handed out during a run (to any fuzzing client) and the
 * bystanders' ids: what generated references (`ref('producer', 3)`) resolve
 * to. Mixing them is the point: a client must get NOT_FOUND for the ids of
 * other peers and rooms, and its own must work.
 */
export class IdPool {
  readonly #ids = new Map<PoolKind, string[]>();

  add(kind: PoolKind, id: unknown): void {
    if (typeof id !== 'string' || id.length === 0) return;
    let list = this.#ids.get(kind);
    if (!list) {
      list = [];
      this.#ids.set(kind, list);
    }
    // Bounded: a long run keeps the most recent ids.
    if (!list.includes(id)) list.push(id);
    if (list.length > 64) list.shift();
  }

  pick(kind: PoolKind, index: number): string | undefined {
    const list = this.#ids.get(kind);
    return list && list.length > 0 ? list[index % list.length] : undefined;
  }

  /** A new pool holding what this one holds (the bystanders' ids, at the start of each run). */
  copy(): IdPool {
    const copy = new IdPool();
    for (const [kind, list] of this.#ids) for (const id of list) copy.add(kind, id);
    return copy;
  }
}
