// The README's first command: install everything (pnpm, dependencies, the
// mediasoup worker build), build the example web app and start the example
// video-room server, which prints the URL to open. Ctrl-C stops it.
import { installDependencies, installSystemTools, pnpm } from './setup.mjs';

installDependencies();
// ffmpeg and GStreamer for the example's broadcast and record commands.
installSystemTools();
pnpm(['--filter', '@vroom/example-video-room', 'run', 'build']);
try {
  pnpm(['--filter', '@vroom/example-video-room', 'run', 'serve']);
} catch {
  // Ctrl-C ends the server with a signal: not an error for the user.
}
