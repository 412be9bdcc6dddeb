/**
 * The quiet setup steps of `npm start` / `npm test` (steps.mjs), run for
 * real: a child Node process runs a step whose command prints like a
 * compiler, and the test reads what a person would see in the terminal and
 * what lands in the log file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOG_DIR } from './steps.mjs';

const STEPS = new URL('./steps.mjs', import.meta.url).href;

/** Runs one step of `command` in a child process; `onOutput` sees the terminal text as it comes. */
function runStepProcess(log: string, command: string, onOutput?: (text: string) => void) {
  const script = `
    import { exitOnStepError, runStep } from ${JSON.stringify(STEPS)};
    try {
      await runStep({ title: 'building things', command: process.execPath,
        args: ['-e', ${JSON.stringify(command)}], log: ${JSON.stringify(log)} });
      console.log('next step');
    } catch (error) { exitOnStepError(error); }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal's foreground job
  });
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const done = once(child, 'exit').then(([code, signal]) => ({ code, signal, output }));
  return { child, done };
}

const COMPILER = `for (let i = 1; i <= 1300; i++) console.log('c++ -O2 -Wall -c src/file' + i + '.cpp');`;

describe('a quiet setup step', () => {
  it('on failure: the tail of the log and its path, not 1,300 lines; exit 1', async () => {
    const log = `test-steps-fail-${process.pid}`;
    const { code, output } = await runStepProcess(
      log,
      // exitCode, not exit(): process.exit() may drop output still queued for a busy pipe.
      `${COMPILER} console.error('fatal error: boom.h: No such file'); process.exitCode = 3;`,
    ).done;
    const logFile = join(LOG_DIR, `${log}.log`);
    try {
      assert.equal(code, 1);
      assert.match(output, /\[setup\] building things FAILED after \d+s \(exit code 3\)/);
      assert.match(output, /\| fatal error: boom\.h: No such file/);
      assert.ok(output.includes(`[setup] full log: ${logFile}`), output);
      assert.doesNotMatch(output, /file1\.cpp|next step|at .*steps\.mjs/, 'no whole log, no stack');
      assert.ok(output.split('\n').length < 50, `${output.split('\n').length} lines printed`);
      const logged = readFileSync(logFile, 'utf8');
      assert.match(logged, /src\/file1\.cpp\n/);
      assert.match(logged, /src\/file1300\.cpp\n/);
      assert.match(logged, /fatal error: boom\.h/);
    } finally {
      rmSync(logFile, { force: true });
    }
  });

  it('on success: a start line and a done line with the elapsed time; the output only in the log', async () => {
    const log = `test-steps-ok-${process.pid}`;
    const { code, output } = await runStepProcess(log, COMPILER).done;
    const logFile = join(LOG_DIR, `${log}.log`);
    try {
      assert.equal(code, 0);
      assert.equal(
        output,
        `[setup] building things … (log: ${logFile})\n` +
          output.match(/\[setup\] building things: done in \d+s\n/)?.[0] +
          'next step\n',
      );
      assert.equal(readFileSync(logFile, 'utf8').split('\n').length, 1302);
    } finally {
      rmSync(logFile, { force: true });
    }
  });

  it('Ctrl-C: the step stops, one line says so, exit 130, no stack trace', async () => {
    const log = `test-steps-int-${process.pid}`;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { child, done } = await runStepProcess(
      log,
      `console.log('compiling'); setInterval(() => console.log('still compiling'), 100);`,
      (text) => {
        if (text.includes('building things …')) started();
      },
    );
    await running;
    await new Promise((resolve) => setTimeout(resolve, 500)); // the command is running
    // What a terminal does on Ctrl-C: SIGINT to the whole foreground group.
    process.kill(-child.pid!, 'SIGINT');
    const { code, output } = await done;
    const logFile = join(LOG_DIR, `${log}.log`);
    try {
      assert.equal(code, 130);
      assert.match(output, /\[setup\] building things: stopped after \d+s\n$/);
      assert.doesNotMatch(output, /Error|at |next step/);
      assert.match(readFileSync(logFile, 'utf8'), /still compiling/);
    } finally {
      rmSync(logFile, { force: true });
    }
    assert.equal(existsSync(logFile), false);
  });
});
