// One setup step (an install, a build) run quietly: its output goes to a log
// file, the terminal gets one short progress line with the elapsed time, and
// only a failure shows the log (its tail, and the file's path). Ctrl-C stops
// the step and ends the script with a one-line note and no stack trace.
//
// Why: a first `npm start` builds the mediasoup worker for minutes and would
// otherwise print ~1,300 lines of compiler output, warnings included, with
// no sign of how far along it is.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where the steps' logs go: `.logs/<name>.log` in the repository (git ignores it). */
export const LOG_DIR = join(root, '.logs');

/** Lines of the log shown when a step fails (the whole file stays on disk). */
export const FAILURE_TAIL_LINES = 40;
/** Lines of the step's stderr shown too when they are not in the tail above. */
const ERROR_TAIL_LINES = 8;

function missedErrors(tail, errors) {
  const shown = new Set(tail.slice(-FAILURE_TAIL_LINES));
  const missed = errors.filter((text) => text.trim() && !shown.has(text));
  if (missed.length === 0) return '';
  return `[setup] its last error output:\n${missed.map((text) => `  | ${text}\n`).join('')}`;
}

/** A step that exited with an error: the message says which, where its log is, and what to do. */
export class StepFailedError extends Error {
  constructor(title, detail, logFile) {
    super(`${title} failed (${detail}); the full log is ${logFile}`);
    this.name = 'StepFailedError';
    this.logFile = logFile;
    /** What the person can do about it, when the caller knows (printed by exitOnStepError). */
    this.advice = undefined;
  }
}

/** Ctrl-C (or SIGTERM) during a step: not an error, the person asked for it. */
export class StepInterruptedError extends Error {
  constructor(title) {
    super(`${title} stopped`);
    this.name = 'StepInterruptedError';
  }
}

export function formatElapsed(ms) {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/**
 * Runs `command args` as one step. `phases` name what the step is doing
 * from its output (`{ match: /regex/, label }`), shown after the title.
 * Resolves when it exits with 0; rejects with StepFailedError (after
 * printing the log's tail) or StepInterruptedError.
 */
export function runStep({
  title,
  command,
  args = [],
  log,
  cwd = root,
  env = process.env,
  phases = [],
}) {
  const logFile = join(LOG_DIR, `${log}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const out = process.stdout;
  const live = out.isTTY === true;
  const started = Date.now();
  let phase = '';
  const line = (suffix) =>
    `[setup] ${title}${phase ? `: ${phase}` : ''} … ${formatElapsed(Date.now() - started)}${suffix}`;
  const draw = () => out.write(`\r\x1b[2K${line('')}`);
  if (live) draw();
  else out.write(`[setup] ${title} … (log: ${logFile})\n`);

  return new Promise((resolve, reject) => {
    const file = createWriteStream(logFile);
    file.write(`$ ${command} ${args.join(' ')}\n`);
    const recent = [];
    // stderr's own tail: the two pipes interleave as they please, so the error
    // may not be among the last lines of the combined output.
    const recentErrors = [];
    const partial = { out: '', err: '' };
    const child = spawn(command, args, { cwd, env, stdio: ['inherit', 'pipe', 'pipe'] });
    const take = (stream, chunk) => {
      file.write(chunk);
      const lines = (partial[stream] + chunk.toString('utf8')).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const text of lines) {
        recent.push(text);
        if (recent.length > FAILURE_TAIL_LINES) recent.shift();
        if (stream === 'err') {
          recentErrors.push(text);
          if (recentErrors.length > ERROR_TAIL_LINES) recentErrors.shift();
        }
        const next = phases.find(({ match }) => match.test(text))?.label;
        if (next && next !== phase) {
          phase = next;
          if (live) draw();
          else out.write(`[setup] ${title}: ${phase} … ${formatElapsed(Date.now() - started)}\n`);
        }
      }
    };
    child.stdout.on('data', (chunk) => take('out', chunk));
    child.stderr.on('data', (chunk) => take('err', chunk));
    const timer = live ? setInterval(draw, 1000) : undefined;
    // The terminal sends Ctrl-C to the whole process group, the step
    // included; a signal sent to this process alone is passed on.
    let interrupted = false;
    const onSignal = (signal) => {
      interrupted = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const finish = (outcome) => {
      clearInterval(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (partial.out) recent.push(partial.out);
      if (partial.err) {
        recent.push(partial.err);
        recentErrors.push(partial.err);
      }
      file.end(() => outcome());
    };
    child.on('error', (error) =>
      finish(() => {
        out.write(live ? '\n' : '');
        reject(new StepFailedError(title, `could not run ${command}: ${error.message}`, logFile));
      }),
    );
    child.on('close', (code, signal) =>
      finish(() => {
        const elapsed = formatElapsed(Date.now() - started);
        if (interrupted) {
          out.write(`${live ? '\r\x1b[2K' : ''}[setup] ${title}: stopped after ${elapsed}\n`);
          reject(new StepInterruptedError(title));
        } else if (code === 0) {
          phase = '';
          out.write(`${live ? '\r\x1b[2K' : ''}[setup] ${title}: done in ${elapsed}\n`);
          resolve();
        } else {
          const detail = signal ? `ended by ${signal}` : `exit code ${code}`;
          out.write(
            `${live ? '\n' : ''}[setup] ${title} FAILED after ${elapsed} (${detail}). ` +
              `The last ${recent.length} lines of its log:\n` +
              recent.map((text) => `  | ${text}\n`).join('') +
              missedErrors(recent, recentErrors) +
              `[setup] full log: ${logFile}\n`,
          );
          reject(new StepFailedError(title, detail, logFile));
        }
      }),
    );
  });
}

/**
 * For the scripts' top level: a failed or interrupted step ends the process
 * with its one-line message (the log was printed already), never a stack trace.
 */
export function exitOnStepError(error) {
  if (error instanceof StepInterruptedError) process.exit(130);
  if (error instanceof StepFailedError) {
    if (error.advice) console.error(`[setup] ${error.advice}`);
    process.exit(1);
  }
  throw error;
}
