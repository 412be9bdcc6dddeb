import type { types } from 'mediasoup';
import { type MediaDescription, write } from 'sdp-transform';

/** One RTP stream as the receiver sees it: where it arrives and what it carries. */
export interface ReceivedStream {
  kind: types.MediaKind;
  /** Address the receiver listens on (the consumer's transport sends there). */
  ip: string;
  rtpPort: number;
  rtcpPort: number;
  /** The consumer's `rtpParameters`: one codec, one encoding. */
  rtpParameters: types.RtpParameters;
}

/**
 * The SDP a plain receiver (FFmpeg's `-f sdp`, GStreamer's `sdpdemux`) needs:
 * one `m=` section per stream with the consumer's payload type, codec
 * parameters, feedback, header extension ids and SSRC. `a=rtcp-fb` lines
 * also make FFmpeg send key frame requests (FIR) when it lacks one.
 */
export function receiverSdp(streams: readonly ReceivedStream[], name = 'vroom'): string {
  const first = streams[0];
  if (!first) throw new RangeError('an SDP needs at least one stream');
  return write({
    version: 0,
    origin: {
      username: '-',
      sessionId: 0,
      sessionVersion: 0,
      netType: 'IN',
      ipVer: ipVersion(first.ip),
      address: first.ip,
    },
    name,
    timing: { start: 0, stop: 0 },
    media: streams.map(mediaSection),
  });
}

function mediaSection(stream: ReceivedStream): MediaDescription {
  const { rtpParameters } = stream;
  const codec = rtpParameters.codecs[0];
  if (!codec) throw new RangeError(`the ${stream.kind} stream has no codec`);
  const [, name = ''] = codec.mimeType.split('/');
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
  const cname = rtpParameters.rtcp?.cname;
  const ssrcs = rtpParameters.encodings
    ?.map((encoding) => encoding.ssrc)
    .filter((ssrc): ssrc is number => typeof ssrc === 'number');
  return {
    type: stream.kind,
    port: stream.rtpPort,
    protocol: 'RTP/AVP',
    payloads: String(codec.payloadType),
    connection: { version: ipVersion(stream.ip), ip: stream.ip },
    rtcp: { port: stream.rtcpPort, netType: 'IN', ipVer: ipVersion(stream.ip), address: stream.ip },
    direction: 'recvonly',
    rtp: [
      {
        payload: codec.payloadType,
        codec: name,
        rate: codec.clockRate,
        ...(codec.channels && codec.channels > 1 ? { encoding: codec.channels } : {}),
      },
    ],
    fmtp: fmtp ? [{ payload: codec.payloadType, config: fmtp }] : [],
    rtcpFb: (codec.rtcpFeedback ?? []).map((fb) => ({
      payload: codec.payloadType,
      type: fb.type,
      ...(fb.parameter ? { subtype: fb.parameter } : {}),
    })),
    ext: (rtpParameters.headerExtensions ?? []).map((ext) => ({ value: ext.id, uri: ext.uri })),
    ssrcs: (ssrcs ?? []).map((id) => ({ id, attribute: 'cname', value: cname ?? 'vroom' })),
  };
}

function ipVersion(ip: string): 4 | 6 {
  return ip.includes(':') ? 6 : 4;
}
