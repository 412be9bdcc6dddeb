import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { types } from 'mediasoup';

/**
 * Test stand-in for a browser peer: FFmpeg's lavfi test pattern (VP8) and
 * sine (Opus) sent as plain RTP into two comedia plain transports, each with
 * a producer. Real encoders and real RTP, no browser needed.
 */
export interface LavfiSource {
  audio: types.Producer;
  video: types.Producer;
  transports: types.PlainTransport[];
  ffmpeg: ChildProcess;
  close(): Promise<void>;
}

const AUDIO = { ssrc: 11111111, payloadType: 100 };
const VIDEO = { ssrc: 22222222, payloadType: 101 };

export async function startLavfiSource(
  router: types.Router,
  options: { width?: number; height?: number; rate?: number } = {},
): Promise<LavfiSource> {
  const { width = 320, height = 240, rate = 30 } = options;
  const plain = () =>
    router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: true });
  const audioTransport = await plain();
  const videoTransport = await plain();
  const audio = await audioTransport.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [
        { mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: AUDIO.payloadType },
      ],
      encodings: [{ ssrc: AUDIO.ssrc }],
    },
  });
  const video = await videoTransport.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [
        {
          mimeType: 'video/VP8',
          clockRate: 90000,
          payloadType: VIDEO.payloadType,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
        },
      ],
      encodings: [{ ssrc: VIDEO.ssrc }],
    },
  });
  const to = (transport: types.PlainTransport) =>
    `rtp://127.0.0.1:${transport.tuple.localPort}?rtcpport=${transport.rtcpTuple?.localPort}&pkt_size=1200`;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re'],
      ...['-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${rate}`],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8'],
      ...['-b:v', '300k', '-g', String(rate), '-ssrc', String(VIDEO.ssrc)],
      ...['-payload_type', String(VIDEO.payloadType), '-f', 'rtp', to(videoTransport)],
      ...['-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-ssrc', String(AUDIO.ssrc)],
      ...['-payload_type', String(AUDIO.payloadType), '-f', 'rtp', to(audioTransport)],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await once(ffmpeg, 'spawn');
  const transports = [audioTransport, videoTransport];
  return {
    audio,
    video,
    transports,
    ffmpeg,
    async close() {
      if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) {
        ffmpeg.kill('SIGKILL');
        await once(ffmpeg, 'exit');
      }
      for (const transport of transports) transport.close();
    },
  };
}
