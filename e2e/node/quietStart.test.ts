/**
 * `npm start` as a person runs it, then Ctrl-C: the installs and the build
 * print one line each (their output goes to .logs/), the server starts and
 * answers, and Ctrl-C — SIGINT to the whole foreground process group, as a
 * terminal sends it — ends everything with a one-line note and exit code 0:
 * no pnpm `ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL`, no npm error. Real: the
 * repository's own npm start (dependencies already installed here, so the
 * install step is quick), on a free port.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STARTED = /vroom example running: open (http:\/\/\S+)\?room=lobby/;

describe('npm start', () => {
  it('quiet setup lines, a working server, and a quiet Ctrl-C', { timeout: 600_000 }, async () => {
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, like a terminal's foreground job
    });
    let output = '';
    const exited = once(child, 'exit');
    const url = await new Promise<string>((resolve, reject) => {
      const take = (chunk: Buffer) => {
        output += chunk;
        const found = output.match(STARTED);
        if (found?.[1]) resolve(found[1]);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      void exited.then(() => reject(new Error(`npm start ended early:\n${output}`)));
    });
    try {
      const page = await fetch(url);
      assert.equal(page.status, 200, 'the server serves the page');
      await page.text();

      // Before the server's line: the setup steps, one short line each.
      const setup = output.slice(0, output.search(STARTED)).trimEnd().split('\n');
      assert.ok(setup.length <= 12, `setup printed ${setup.length} lines:\n${output}`);
      assert.match(output, /\[setup\] installing dependencies \(pnpm@[\d.]+\): done in \d+/);
      assert.match(output, /\[setup\] building the web page \(vite\): done in \d+/);
    } finally {
      // Ctrl-C in a terminal: SIGINT to every process of the foreground group.
      process.kill(-child.pid!, 'SIGINT');
    }
    const [code, signal] = await exited;
    // npm, which got the SIGINT too, ends by re-raising it once its script
    // has exited (what a shell expects of a job stopped with Ctrl-C): no
    // message, and the script itself exited with 0 ("stopped" below).
    assert.ok(code === 0 || signal === 'SIGINT', `npm start ended with ${code ?? signal}`);
    assert.match(output, /\[start\] the example server stopped\.\n$/);
    assert.doesNotMatch(output, /ERR_PNPM|ELIFECYCLE|npm error|Command failed|Error:/);
    await assert.rejects(fetch(url), 'nothing listens any more');
  });
});
