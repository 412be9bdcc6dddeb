import fc from 'fast-check';
import { createSfuServer, type SfuServer } from '../index.js';
import { FAST_SESSIONS } from '../test/sessions.js';
import { Bystanders } from './Bystanders.js';
import { emptyTally, FuzzClient, type Tally } from './FuzzClient.js';
import { FUZZ_ROOMS } from './hints.js';
import { IdPool } from './IdPool.js';
import {
  type Baseline,
  baselineProblems,
  measureBaseline,
  ProcessWatch,
  workerPids,
  workerProblems,
} from './invariants.js';
import {
  type FuzzMessage,
  fuzzMessage,
  opening,
  type ServerRequestAnswer,
  serverRequestAnswer,
} from './messages.js';
import { FRESH_ID } from './wire.js';

export interface FuzzOptions {
  seed: number;
  numRuns: number;
  /** Fuzzing clients connected at once in each run. */
  clients: number;
  /** Bursts per run, at most; each burst is 1 to `burst` messages from one client. */
  steps: number;
  burst: number;
  /** Stop generating new runs after this long (shrinking a failure may go on). */
  timeLimitMs?: number;
  /** How long an answer may take before the run fails as unanswered. */
  answerTimeoutMs?: number;
  progress?: (tally: Tally, runs: number) => void;
  /** Every failing run as it happens (shrinking replays included), before the minimized one. */
  onFailure?: (problems: string[]) => void;
  /**
   * Failures of these kinds (`failureKind`) were found and minimized before:
   * a run that only repeats one is counted here and passes, so a long session
   * goes on to find new ones instead of shrinking the same one again.
   */
  known?: Map<string, number>;
  /** Replays one counterexample: fast-check's path printed with a failure (with its seed). */
  path?: string;
}

/** A failure's first problem with ids and numbers blanked: the same hole gives the same kind. */
export function failureKind(problems: readonly string[]): string {
  return ((problems[0] ?? '').split('\n')[0] ?? '')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
}

interface Program {
  answers: ServerRequestAnswer[];
  /** What each client sends first (most often a join). */
  openings: FuzzMessage[][];
  /** `[client index, messages sent back to back]`. */
  bursts: [number, FuzzMessage[]][];
}

export interface FuzzReport {
  result: fc.RunDetails<[Program]>;
  tally: Tally;
  runs: number;
}

const leave: FuzzMessage = { kind: 'value', value: { id: FRESH_ID, method: 'leave', data: {} } };

/**
 * One fuzzing session: an in-process server on the real worker, bystanders in
 * the attacked room, and a fast-check property whose every run connects fresh
 * fuzzing clients, plays their messages, makes them leave and checks every
 * invariant. A failed run throws with all it found; fast-check then shrinks it.
 */
export class FuzzSession {
  readonly server: SfuServer;
  readonly tally = emptyTally();
  readonly #watch = new ProcessWatch();
  #bystanders!: Bystanders;
  #pool = new IdPool();
  #baseline!: Baseline;
  #pids: number[] = [];
  #runs = 0;
  /** The last run left the bystanders or the workers broken: start over before the next. */
  #broken = false;

  private constructor(server: SfuServer) {
    this.server = server;
  }

  static async start(): Promise<FuzzSession> {
    const server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      session: FAST_SESSIONS,
      serverRequestTimeoutMs: 500,
      // Generous budgets so messages reach the handlers (the flood limits have
      // their own specs); size limits and timeouts stay at their defaults.
      limits: {
        requestsPerSecond: 1_000_000,
        requestBurst: 100_000,
        reconnectsPerMinute: 1_000_000,
        reconnectBurst: 100_000,
        joinsPerAddressPerMinute: 1_000_000,
        joinsPerAddressBurst: 100_000,
        framesPerSecond: 1_000_000,
        frameBurst: 100_000,
        bytesPerSecond: 1_000_000_000,
        byteBurst: 1_000_000_000,
      },
    });
    const session = new FuzzSession(server);
    session.#watch.start();
    await session.#resetBystanders();
    return session;
  }

  /** (Re)joins the bystanders and measures the baseline with them alone. */
  async #resetBystanders(): Promise<void> {
    await this.#bystanders?.leave();
    this.#pool = new IdPool();
    this.#bystanders = await Bystanders.join(this.server, FUZZ_ROOMS[0], this.#pool);
    this.#baseline = await measureBaseline(this.server);
    this.#pids = workerPids(this.server);
  }

  async run(options: FuzzOptions): Promise<FuzzReport> {
    const program: fc.Arbitrary<Program> = fc.record({
      answers: fc.array(serverRequestAnswer, {
        minLength: options.clients,
        maxLength: options.clients,
      }),
      openings: fc.array(opening, { minLength: options.clients, maxLength: options.clients }),
      bursts: fc.array(
        fc.tuple(
          fc.nat(options.clients - 1),
          fc.array(fuzzMessage, { minLength: 1, maxLength: options.burst, size: 'max' }),
        ),
        // 'max': lengths spread up to the bound (fast-check's default keeps them near 10).
        { minLength: 1, maxLength: options.steps, size: 'max' },
      ),
    });
    const property = fc.asyncProperty(program, async (p) => {
      const problems = await this.#play(p, options.answerTimeoutMs ?? 10_000);
      options.progress?.(this.tally, this.#runs);
      if (problems.length === 0) return;
      const kind = failureKind(problems);
      const seen = options.known?.get(kind);
      if (seen !== undefined) {
        options.known?.set(kind, seen + 1);
        return;
      }
      options.onFailure?.(problems);
      throw new Error(problems.join('\n'));
    });
    const result = await fc.check(property, {
      seed: options.seed,
      numRuns: options.numRuns,
      ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
      ...(options.path ? { path: options.path } : {}),
    });
    return { result, tally: this.tally, runs: this.#runs };
  }

  async #play(program: Program, answerTimeoutMs: number): Promise<string[]> {
    this.#runs++;
    // A failed run may leave the bystanders broken: every run starts from a sound room.
    if (this.#broken) await this.#resetBystanders();
    const pool = this.#pool.copy();
    const clients = program.answers.map((answer, i) => {
      const client = new FuzzClient(
        this.server,
        pool,
        this.tally,
        `10.99.${this.#runs % 250}.${i}`,
      );
      client.answerPolicy = answer;
      return client;
    });
    const problems: string[] = [];
    // Each client plays its own bursts in order, waiting for their answers;
    // the clients run side by side, so their requests interleave on the server.
    const played = clients.map(async (client, i) => {
      const bursts = [
        program.openings[i] ?? [],
        ...program.bursts.filter(([index]) => index % clients.length === i).map(([, m]) => m),
        [leave],
      ];
      for (const messages of bursts) {
        for (const message of messages) client.send(message);
        if (!(await client.whenSettled(answerTimeoutMs))) {
          problems.push(
            `unanswered after ${answerTimeoutMs} ms: ${client.unanswered().join('; ')}`,
          );
          return;
        }
      }
    });
    await Promise.all(played);
    for (const client of clients) {
      client.finish();
      client.close();
      problems.push(...client.violations);
    }
    const broken = [
      ...workerProblems(this.server, this.#pids),
      ...(await this.#bystanders.check()),
    ];
    this.#broken = broken.length > 0;
    problems.push(...this.#watch.take(), ...broken);
    problems.push(...(await baselineProblems(this.server, this.#baseline)));
    return problems;
  }

  async close(): Promise<void> {
    await this.#bystanders.leave();
    const left = await baselineProblems(this.server, {
      ...this.#baseline,
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
      dataProducers: 0,
      dataConsumers: 0,
      sessions: 0,
      rooms: 0,
    });
    this.#watch.stop();
    this.server.close();
    if (left.length > 0) throw new Error(`after everyone left: ${left.join('; ')}`);
  }
}
