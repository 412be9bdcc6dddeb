import type { SfuServer } from '../SfuServer.js';
import { type LiveObjects, liveObjects } from '../test/liveObjects.js';

/**
 * The invariants checked after every run that are not about one client's
 * answers (`FuzzClient` checks those): the process did not throw, the
 * workers did not die, and the server is back to where it was.
 */

/** Uncaught exceptions and unhandled rejections, caught at process level while it runs. */
export class ProcessWatch {
  readonly #seen: string[] = [];
  readonly #onError = (error: unknown) => {
    this.#seen.push(
      `uncaught: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  };
  readonly #onRejection = (reason: unknown) => {
    this.#seen.push(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  };

  start(): void {
    process.on('uncaughtException', this.#onError);
    process.on('unhandledRejection', this.#onRejection);
  }

  stop(): void {
    process.off('uncaughtException', this.#onError);
    process.off('unhandledRejection', this.#onRejection);
  }

  /** What was seen since the last call. */
  take(): string[] {
    return this.#seen.splice(0);
  }
}

export function workerPids(server: SfuServer): number[] {
  return server.pool.workers.filter((worker) => !worker.closed).map((worker) => worker.pid);
}

/** A worker that died (and was replaced) shows up as a changed pid. */
export function workerProblems(server: SfuServer, pids: readonly number[]): string[] {
  const now = workerPids(server);
  return pids.filter((pid) => !now.includes(pid)).map((pid) => `mediasoup worker ${pid} died`);
}

/** Worker objects plus the adapter's own sessions and rooms. */
export interface Baseline extends LiveObjects {
  sessions: number;
  rooms: number;
}

export async function measureBaseline(server: SfuServer): Promise<Baseline> {
  return {
    ...(await liveObjects(server)),
    sessions: server.peerCount,
    rooms: server.rooms().length,
  };
}

const differences = (want: Baseline, got: Baseline): string[] =>
  (Object.keys(want) as (keyof Baseline)[])
    .filter((key) => want[key] !== got[key])
    .map((key) => `${key} ${got[key]} (baseline ${want[key]})`);

/**
 * Waits for the counts to come back to `baseline` after the fuzzing clients
 * left: sessions of dropped connections end after the resume window, so the
 * counts may take a little while. Not a timing assertion: the deadline only
 * turns a leak into a readable failure.
 */
export async function baselineProblems(
  server: SfuServer,
  baseline: Baseline,
  deadlineMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const diff = differences(baseline, await measureBaseline(server));
    if (diff.length === 0) return [];
    if (Date.now() > deadline)
      return [`not back to baseline after the fuzzers left: ${diff.join(', ')}`];
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
