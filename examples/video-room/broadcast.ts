// Broadcasts a media file (or the encoder's test sources) into a room of the
// example server, through an ingest (@vroom/server-adapter/media-io):
//
//   pnpm --filter video-room broadcast -- --room demo [--file party.mp4] [--tool gstreamer] [--port 3000]
//
// It serves the example page and the room itself (one process, so the encoder
// sends to 127.0.0.1), prints the URL to open, runs `ffmpeg` or
// `gst-launch-1.0` until Ctrl-C (or the file ends with --no-loop), then stops
// the ingest: the page sees the "Broadcast" peer leave.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Ingest } from '@vroom/server-adapter/media-io';
import { startVideoRoomServer } from './app.js';

const { values } = parseArgs({
  options: {
    room: { type: 'string', default: 'demo' },
    file: { type: 'string' },
    tool: { type: 'string', default: 'ffmpeg' },
    port: { type: 'string', default: '3000' },
    'no-loop': { type: 'boolean', default: false },
  },
});
if (values.tool !== 'ffmpeg' && values.tool !== 'gstreamer') {
  console.error(`--tool must be ffmpeg or gstreamer, not ${values.tool}`);
  process.exit(2);
}

const server = await startVideoRoomServer({ port: Number(values.port) });
const ingest = await Ingest.create(server.sfu, {
  roomId: values.room,
  displayName: values.file ? `Broadcast: ${values.file}` : 'Broadcast: test source',
  // GStreamer's branches send RTP only; FFmpeg sends RTCP to ports of its own.
  rtcpMux: values.tool === 'gstreamer',
});
const source = values.file ? { file: values.file, loop: !values['no-loop'] } : {};
const [command, args] =
  values.tool === 'ffmpeg'
    ? ['ffmpeg', ingest.ffmpegArgs(source)]
    : ['gst-launch-1.0', ingest.gstreamerArgs(source)];
console.log(`open ${server.url}?room=${encodeURIComponent(values.room)}`);
console.log(`${command} ${args.join(' ')}`);
// FFmpeg prints the SDP it would send on stdout: not needed here.
const encoder = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
encoder.on('error', (error) => {
  console.error(`cannot run ${command} (${error.message}): install it (npm start's setup does)`);
  void shutdown(1);
});
encoder.on('exit', (code) => void shutdown(code ?? 0));
ingest.on('mismatch', (mismatch) => console.error(mismatch.message));
ingest.on('closed', (reason) => console.log(`ingest closed: ${reason}`));

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  encoder.kill('SIGKILL');
  ingest.stop();
  await server.close();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
