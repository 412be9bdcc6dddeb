// The README's first command: install everything (pnpm, dependencies, the
// mediasoup worker build), build the example web app and start the example
// video-room server, which prints the URL to open. Ctrl-C stops it.
import { installDependencies, pnpm } from './setup.mjs';

installDependencies();
pnpm(['--filter', '@vroom/example-video-room', 'run', 'build']);
try {
  pnpm(['--filter', '@vroom/example-video-room', 'run', 'serve']);
} catch {
  // Ctrl-C ends the server with a signal: not an error for the user.
}
