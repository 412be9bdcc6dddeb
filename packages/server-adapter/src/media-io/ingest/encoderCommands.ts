import type { types } from 'mediasoup';
import type { IngestStreamParameters } from './ingestCodecs.js';

/** Where one kind of an ingest goes, and how it must look. */
export interface IngestEndpoint {
  kind: 'audio' | 'video';
  /** Address the encoder sends to. */
  ip: string;
  rtpPort: number;
  /** Equals `rtpPort` when RTCP is multiplexed (`rtcpMux`). */
  rtcpPort: number;
  rtcpMux: boolean;
  stream: IngestStreamParameters;
  /** The key the encoder must encrypt with, when the ingest uses SRTP. */
  srtp?: types.SrtpParameters;
}

/** What to broadcast: a media file (looped by default), or the tool's test sources. */
export interface EncoderSource {
  /** Path of a file with the kinds the ingest sends; absent: a test pattern and a 440 Hz tone. */
  file?: string;
  /** Loop the file forever (default true). */
  loop?: boolean;
}

/** Test pattern size and rate, for both tools. */
const TEST_VIDEO = { width: 640, height: 480, fps: 30 };
/** One key frame a second: FFmpeg and GStreamer never answer a PLI, so a joiner waits at most this. */
const KEY_FRAME_INTERVAL = 30;

/**
 * FFmpeg's argument list (without `ffmpeg` itself) for an ingest: one RTP
 * output per kind, each with its SSRC, payload type and RTCP port (`srtp://`
 * with the key when SRTP is on).
 */
export function ffmpegArgs(endpoints: IngestEndpoint[], source: EncoderSource = {}): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  const audio = endpoints.find((e) => e.kind === 'audio');
  const video = endpoints.find((e) => e.kind === 'video');
  let audioInput = '0:a:0';
  let videoInput = '0:v:0';
  if (source.file !== undefined) {
    if (source.loop !== false) args.push('-stream_loop', '-1');
    args.push('-re', '-i', source.file);
  } else {
    const { width, height, fps } = TEST_VIDEO;
    if (video) args.push('-re', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps}`);
    if (audio) args.push('-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
    videoInput = '0:v:0';
    audioInput = video ? '1:a:0' : '0:a:0';
  }
  if (audio) {
    args.push('-map', audioInput, '-c:a', 'libopus', '-b:a', '64k', '-ac', '2', '-ar', '48000');
    args.push(...rtpOutput(audio));
  }
  if (video) {
    args.push('-map', videoInput, '-pix_fmt', 'yuv420p', '-g', String(KEY_FRAME_INTERVAL));
    if (video.stream.mimeType.toLowerCase() === 'video/h264') {
      args.push('-c:v', 'libx264', '-profile:v', 'baseline', '-level', '3.1');
      args.push('-preset', 'ultrafast', '-tune', 'zerolatency', '-bf', '0');
    } else {
      args.push('-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8');
    }
    args.push(...rtpOutput(video));
  }
  return args;
}

function rtpOutput(endpoint: IngestEndpoint): string[] {
  const { ip, rtpPort, rtcpPort, stream, srtp } = endpoint;
  const args = [
    '-f',
    'rtp',
    '-ssrc',
    String(stream.ssrc),
    '-payload_type',
    String(stream.payloadType),
  ];
  if (srtp) args.push('-srtp_out_suite', srtp.cryptoSuite, '-srtp_out_params', srtp.keyBase64);
  // pkt_size under a usual MTU, room left for the SRTP tag.
  const scheme = srtp ? 'srtp' : 'rtp';
  args.push(`${scheme}://${ip}:${rtpPort}?rtcpport=${rtcpPort}&pkt_size=1200`);
  return args;
}

/**
 * A `gst-launch-1.0` pipeline description for an ingest: one branch per
 * kind (RTP only: these branches send no RTCP, so mediasoup gets no sender
 * reports and the browsers do not lip-sync GStreamer's audio and video).
 */
export function gstreamerPipeline(endpoints: IngestEndpoint[], source: EncoderSource = {}): string {
  const audio = endpoints.find((e) => e.kind === 'audio');
  const video = endpoints.find((e) => e.kind === 'video');
  const branches: string[] = [];
  let videoIn: string;
  let audioIn: string;
  if (source.file !== undefined) {
    branches.push(`filesrc location=${gstQuote(source.file)} ! decodebin name=src`);
    videoIn = 'src. ! queue ! videoconvert';
    audioIn = 'src. ! queue ! audioconvert ! audioresample';
  } else {
    const { width, height, fps } = TEST_VIDEO;
    videoIn = `videotestsrc is-live=true ! video/x-raw,width=${width},height=${height},framerate=${fps}/1 ! videoconvert`;
    audioIn = 'audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample';
  }
  if (video) {
    const isH264 = video.stream.mimeType.toLowerCase() === 'video/h264';
    const encode = isH264
      ? `openh264enc gop-size=${KEY_FRAME_INTERVAL} ! video/x-h264,profile=constrained-baseline ! h264parse ! rtph264pay config-interval=-1`
      : `vp8enc deadline=1 cpu-used=8 target-bitrate=1000000 keyframe-max-dist=${KEY_FRAME_INTERVAL} ! rtpvp8pay picture-id-mode=15-bit`;
    branches.push(
      `${videoIn} ! ${encode} pt=${video.stream.payloadType} ssrc=${video.stream.ssrc} mtu=1200 ! ${gstSink(video)}`,
    );
  }
  if (audio) {
    branches.push(
      `${audioIn} ! audio/x-raw,rate=48000,channels=2 ! opusenc bitrate=64000 ! rtpopuspay pt=${audio.stream.payloadType} ssrc=${audio.stream.ssrc} ! ${gstSink(audio)}`,
    );
  }
  return branches.join('  ');
}

/** The UDP sink of a branch, behind an SRTP encoder when the ingest uses SRTP. */
function gstSink(endpoint: IngestEndpoint): string {
  const udp = `udpsink host=${endpoint.ip} port=${endpoint.rtpPort} sync=false async=false`;
  const { srtp } = endpoint;
  if (!srtp) return udp;
  const auth = srtp.cryptoSuite === 'AES_CM_128_HMAC_SHA1_32' ? 'hmac-sha1-32' : 'hmac-sha1-80';
  const key = Buffer.from(srtp.keyBase64, 'base64').toString('hex');
  return `srtpenc key=${key} rtp-cipher=aes-128-icm rtp-auth=${auth} rtcp-cipher=aes-128-icm rtcp-auth=hmac-sha1-80 ! ${udp}`;
}

/** A file path as one gst-launch token. */
function gstQuote(path: string): string {
  return `"${path.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The pipeline as `gst-launch-1.0` arguments. gst-launch escapes each
 * argument and joins them, so each token is one argument and a quoted path
 * goes in unquoted (its spaces stay inside its argument).
 */
export function gstreamerArgs(pipeline: string): string[] {
  const tokens = pipeline.match(/(?:[^\s"]+|"(?:\\.|[^"\\])*")+/g) ?? [];
  const unquoted = tokens.map((token) =>
    token.replace(/"((?:\\.|[^"\\])*)"/g, (_, inner: string) => inner.replace(/\\(.)/g, '$1')),
  );
  return ['-q', ...unquoted];
}
