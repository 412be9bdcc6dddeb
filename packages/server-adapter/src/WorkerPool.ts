import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { createLogger } from './logger.js';
import { SERVER_TIMING } from './timing.js';

const log = createLogger('WorkerPool');

/** Worker process settings (mediasoup `WorkerSettings` minus `appData`). */
export interface WorkerSettings {
  logLevel?: types.WorkerLogLevel;
  logTags?: types.WorkerLogTag[];
  rtcMinPort?: number;
  rtcMaxPort?: number;
  dtlsCertificateFile?: string;
  dtlsPrivateKeyFile?: string;
}

export interface WorkerPoolOptions {
  /** How many worker processes; default one per core. */
  size?: number;
  settings?: WorkerSettings;
}

/** Load of one worker: rooms (routers), peers in them and their WebRTC transports. */
interface Slot {
  worker: types.Worker;
  routers: number;
  peers: number;
  transports: number;
}

interface WorkerPoolEvents {
  /** A worker died; its routers are closed already. The replacement is on its way. */
  workerDied: [worker: types.Worker, error: Error];
  workerReplaced: [dead: types.Worker, replacement: types.Worker];
}

/**
 * The mediasoup worker processes. New routers go to the least-loaded worker.
 * A dead worker is replaced; the Node process never exits because of it.
 */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #slots: Slot[] = [];
  readonly #settings: WorkerSettings;
  #closed = false;

  private constructor(settings: WorkerSettings) {
    super();
    this.#settings = settings;
  }

  static async create(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const size = options.size ?? os.availableParallelism();
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new TypeError(`workers must be a positive integer, got ${String(size)}`);
    }
    const pool = new WorkerPool(options.settings ?? {});
    try {
      for (let i = 0; i < size; i++) pool.#slots.push(await pool.#spawn());
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get workers(): types.Worker[] {
    return this.#slots.map((slot) => slot.worker);
  }

  /** Creates a router on the least-loaded live worker. */
  async createRouter(
    options: types.RouterOptions,
  ): Promise<{ router: types.Router; worker: types.Worker }> {
    const slot = this.#leastLoaded();
    if (!slot) throw new Error('no live mediasoup worker (the pool is closed or all workers died)');
    slot.routers++;
    try {
      const router = await slot.worker.createRouter(options);
      router.observer.once('close', () => {
        slot.routers--;
      });
      return { router, worker: slot.worker };
    } catch (error) {
      slot.routers--;
      throw error;
    }
  }

  /** Rooms report their peers here so the pool balances by real load. */
  addPeers(worker: types.Worker, delta: number): void {
    const slot = this.#slots.find((s) => s.worker === worker);
    if (slot) slot.peers += delta;
  }

  /** Joined peers over every worker (the server-wide capacity count). */
  get peerCount(): number {
    return this.#slots.reduce((sum, slot) => sum + slot.peers, 0);
  }

  /** Transports count here, so `limits.transportsPerWorker` can refuse before the worker runs out of descriptors. */
  addTransports(worker: types.Worker, delta: number): void {
    const slot = this.#slots.find((s) => s.worker === worker);
    if (slot) slot.transports += delta;
  }

  transportCount(worker: types.Worker): number {
    return this.#slots.find((s) => s.worker === worker)?.transports ?? 0;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) slot.worker.close();
    this.#slots.length = 0;
  }

  #leastLoaded(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.worker.closed) continue;
      if (
        !best ||
        slot.peers < best.peers ||
        (slot.peers === best.peers && slot.routers < best.routers)
      ) {
        best = slot;
      }
    }
    return best;
  }

  async #spawn(): Promise<Slot> {
    const worker = await mediasoup.createWorker(this.#settings);
    const slot: Slot = { worker, routers: 0, peers: 0, transports: 0 };
    log.debug('worker %d started', worker.pid);
    worker.on('died', (error: Error) => this.#onDied(slot, error));
    return slot;
  }

  #onDied(slot: Slot, error: Error): void {
    log.error('worker %d died: %s; replacing it', slot.worker.pid, error.message);
    this.emit('workerDied', slot.worker, error);
    void this.#replace(slot);
  }

  async #replace(dead: Slot, attempt = 1): Promise<void> {
    if (this.#closed) return;
    const index = this.#slots.indexOf(dead);
    if (index < 0) return;
    try {
      const slot = await this.#spawn();
      if (this.#closed) {
        slot.worker.close();
        return;
      }
      this.#slots[index] = slot;
      this.emit('workerReplaced', dead.worker, slot.worker);
    } catch (error) {
      // Spawning can fail under resource pressure: retry with backoff, never throw.
      const { workerRespawnInitialMs, workerRespawnMaxMs } = SERVER_TIMING;
      const delay = Math.min(workerRespawnMaxMs, workerRespawnInitialMs * 2 ** attempt);
      log.error('cannot replace worker (attempt %d): %s; retrying in %d ms', attempt, error, delay);
      setTimeout(() => void this.#replace(dead, attempt + 1), delay).unref();
    }
  }
}
