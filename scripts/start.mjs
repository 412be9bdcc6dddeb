// The README's first command: install everything (pnpm, dependencies, the
// mediasoup worker build), build the example web app and start the example
// video-room server, which prints the URL to open. Installs and the build are
// quiet steps (one progress line each, logs in .logs/). Ctrl-C stops it:
// the server leaves its rooms and the command ends with a one-line note.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDependencies, installSystemTools, pnpmSpec } from './setup.mjs';
import { exitOnStepError, runStep } from './steps.mjs';

const example = fileURLToPath(new URL('../examples/video-room/', import.meta.url));

try {
  await installDependencies();
  // ffmpeg and GStreamer for the example's broadcast and record commands.
  await installSystemTools();
  await runStep({
    title: 'building the web page (vite)',
    command: 'npx',
    args: ['-y', pnpmSpec, '--filter', '@vroom/example-video-room', 'run', 'build'],
    log: 'web-build',
  });
} catch (error) {
  exitOnStepError(error);
}

// The server runs straight under this process, not through `pnpm run`: pnpm
// reports a script ended by Ctrl-C as a failure (ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL).
// The shell raises the open-files soft limit to the hard one first (Node
// cannot): connections, peers and transports are sized from it.
const server = spawn(
  'sh',
  [
    '-c',
    'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
    process.execPath,
    '--import',
    'tsx',
    join(example, 'server.ts'),
  ],
  { cwd: example, stdio: 'inherit' },
);
// The terminal's Ctrl-C reaches the server too (same process group); a
// signal sent to this process alone is passed on. Either way this process
// waits for the server to close its rooms and says why it ended.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
  });
}
server.on('exit', (code, signal) => {
  if (stopping || signal === 'SIGINT' || signal === 'SIGTERM') {
    console.log('\n[start] the example server stopped.');
    process.exit(0);
  }
  console.error(
    `[start] the example server ended unexpectedly (${signal ?? `exit code ${code}`}).`,
  );
  process.exit(code || 1);
});
