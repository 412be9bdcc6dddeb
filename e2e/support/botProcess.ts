// The example's Node bot (examples/video-room/bot.ts) as a child process, as
// a user runs it, in `--report` mode: one JSON object per stdout line, which
// the specs read instead of prose.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BotEvent } from '../../examples/video-room/bot/BotLog.js';

export type { BotEvent };

export const BOT_MAIN = fileURLToPath(new URL('../../examples/video-room/bot.ts', import.meta.url));

export interface BotProcess {
  readonly child: ChildProcess;
  /** Every event the bot reported so far, in order. */
  readonly events: readonly BotEvent[];
  /** The first event (already seen or still to come) that passes `match`. */
  waitFor<E extends BotEvent>(
    match: (event: BotEvent) => event is E,
    what: string,
    limitMs?: number,
  ): Promise<E>;
  waitFor(match: (event: BotEvent) => boolean, what: string, limitMs?: number): Promise<BotEvent>;
  /** SIGTERM (what Ctrl-C / a service manager sends), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the bot with `args` (e.g. `--url ws://... --room r`). Its stderr is
 * echoed with a prefix; it is killed if the test process exits without `stop()`.
 */
export function startBot(args: string[], options: { cwd?: string } = {}): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', BOT_MAIN, '--report', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const events: BotEvent[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) {
        if (line.trim()) console.log(`[bot stdout] ${line}`);
        continue;
      }
      events.push(JSON.parse(line) as BotEvent);
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[bot] ${chunk}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);

  function waitFor(match: (event: BotEvent) => boolean, what: string, limitMs = 30_000) {
    return new Promise<BotEvent>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`bot: no ${what} within ${limitMs} ms`)),
        limitMs,
      );
      const check = () => {
        const found = events.find(match);
        if (found) finish(undefined, found);
        else if (child.exitCode !== null || child.signalCode !== null) {
          finish(new Error(`bot exited (${child.exitCode ?? child.signalCode}) before ${what}`));
        }
      };
      function finish(error: Error | undefined, event?: BotEvent) {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(event!);
      }
      waiters.add(check);
      check();
    });
  }

  return {
    child,
    events,
    waitFor: waitFor as BotProcess['waitFor'],
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(killNow, graceMs);
        await once(child, 'exit').catch(() => undefined);
        clearTimeout(timer);
      }
      process.off('exit', killNow);
      return exited;
    },
  };
}
