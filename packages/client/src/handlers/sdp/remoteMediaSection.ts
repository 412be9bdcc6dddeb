import type { MediaDescription } from 'sdp-transform';
// The content of one remote m-section: what the mediasoup transport would
// say about one producer, consumer or SCTP association if it spoke SDP.
// Plain sdp-transform MediaDescription objects; RemoteSdp adds the
// transport lines (ICE, candidates, DTLS setup) when it renders the whole
// description.

import type { RtpCodecParameters, RtpParameters } from '../../RtpParameters.js';
import type { SctpParameters } from '../../SctpParameters.js';

/** Serialises codec parameters as an fmtp config ("a=1;b=2"), skipping undefined values. */
export function formatFmtpConfig(parameters: Record<string, unknown> | undefined): string {
  return Object.entries(parameters ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(';');
}

/**
 * A new m-section with no media yet. mediasoup is ICE-lite: the c= line is a
 * placeholder (RFC 8839).
 */
function section(type: string, protocol: string, mid: string): MediaDescription {
  return {
    type,
    port: 7,
    protocol,
    mid,
    rtp: [],
    fmtp: [],
    connection: { version: 4, ip: '127.0.0.1' },
  };
}

/**
 * An RTP m-section: the codecs (rtpmap, fmtp, rtcp-fb) in the given order,
 * which is the m= line's payload list, and the header extensions.
 */
function rtpSection(
  offerMedia: Pick<MediaDescription, 'type' | 'protocol' | 'mid'>,
  direction: 'sendonly' | 'recvonly',
  { codecs, headerExtensions = [] }: RtpParameters,
): MediaDescription {
  const media = section(offerMedia.type, offerMedia.protocol, String(offerMedia.mid));
  const rtcpFb: NonNullable<MediaDescription['rtcpFb']> = [];
  for (const codec of codecs) {
    const payload = codec.payloadType;
    media.rtp.push({
      payload,
      codec: codecName(codec),
      rate: codec.clockRate,
      ...(codec.channels !== undefined && codec.channels > 1 ? { encoding: codec.channels } : {}),
    });
    const config = formatFmtpConfig(codec.parameters);
    if (config) media.fmtp.push({ payload, config });
    for (const fb of codec.rtcpFeedback ?? []) {
      rtcpFb.push({ payload, type: fb.type, ...(fb.parameter ? { subtype: fb.parameter } : {}) });
    }
  }
  return Object.assign(media, {
    direction,
    payloads: codecs.map((codec) => codec.payloadType).join(' '),
    rtcpFb,
    ext: headerExtensions.map((ext) => ({ uri: ext.uri, value: ext.id })),
    rtcpMux: 'rtcp-mux',
    rtcpRsize: 'rtcp-rsize',
  } as const);
}

/** The rtpmap codec name: the subtype of the MIME type ("video/VP8" -> "VP8"). */
/** The codec part of a MIME type validated upstream (ortc: "audio/" or "video/" then a name). */
function codecName({ mimeType }: RtpCodecParameters): string {
  return mimeType.slice(mimeType.indexOf('/') + 1);
}

/**
 * The answer to one m-section of our local offer (sending side): the
 * transport receives what the browser offered to send, with the codecs and
 * header extensions the router accepted.
 */
export function answerRtpSection(
  offerMedia: MediaDescription,
  answer: RtpParameters,
): MediaDescription {
  // An answer may only accept extensions the offer proposed (RFC 8285 section 6).
  const offered = new Set((offerMedia.ext ?? []).map((ext) => ext.uri));
  const media = rtpSection(offerMedia, 'recvonly', {
    ...answer,
    headerExtensions: (answer.headerExtensions ?? []).filter((ext) => offered.has(ext.uri)),
  });
  if (offerMedia.extmapAllowMixed) media.extmapAllowMixed = 'extmap-allow-mixed';
  // The offer's send simulcast, mirrored as receive simulcast.
  const rids = (offerMedia.rids ?? [])
    .filter((rid) => rid.direction === 'send')
    .map((rid) => ({ id: rid.id, direction: 'recv' }));
  if (offerMedia.simulcast) {
    media.simulcast = { dir1: 'recv', list1: offerMedia.simulcast.list1 };
    media.rids = rids;
  }
  // No draft-03 `a=simulcast` (simulcast_03): only Firefox before 71 wrote it,
  // and the Firefox120 handler is the oldest Firefox supported.
  return media;
}

/** The remote offer of one consumer's stream (receiving side): one SSRC, plus its RTX SSRC. */
export function offerRtpSection(options: {
  mid: string;
  kind: string;
  offerRtpParameters: RtpParameters;
  /** a=msid stream id: receivers synchronise tracks that share it. */
  streamId: string;
  trackId: string;
}): MediaDescription {
  const { mid, kind, offerRtpParameters: offer, streamId, trackId } = options;
  const encoding = offer.encodings?.[0];
  if (encoding?.ssrc === undefined) {
    throw new TypeError(`consumer m-section ${mid} has no encodings[0].ssrc`);
  }
  const media = rtpSection({ type: kind, protocol: 'UDP/TLS/RTP/SAVPF', mid }, 'sendonly', offer);
  const ssrcs = [encoding.ssrc];
  if (encoding.rtx?.ssrc !== undefined) ssrcs.push(encoding.rtx.ssrc);
  const cname = offer.rtcp?.cname ?? '-';
  media.msid = [{ id: streamId, appdata: trackId }];
  media.ssrcs = ssrcs.flatMap((id) => [
    { id, attribute: 'msid', value: `${streamId} ${trackId}` },
    { id, attribute: 'cname', value: cname },
  ]);
  if (ssrcs.length === 2) media.ssrcGroups = [{ semantics: 'FID', ssrcs: ssrcs.join(' ') }];
  return media;
}

/**
 * The SCTP association's m-section: the answer to our local offer (sending
 * side, `offerMedia` given) or the remote offer (receiving side).
 */
export function sctpSection(
  sctp: SctpParameters | undefined,
  offerMedia?: MediaDescription,
): MediaDescription {
  if (!sctp) throw new TypeError('a data channel m-section needs sctpParameters');
  const media = section('application', offerMedia?.protocol ?? 'UDP/DTLS/SCTP', 'datachannel');
  // The answer announces what the server receives, the offer what it sends.
  const maxMessageSize =
    sctp.maxMessageSize ?? (offerMedia ? sctp.maxReceiveMessageSize : sctp.maxSendMessageSize);
  if (offerMedia) media.mid = String(offerMedia.mid);
  if (offerMedia?.sctpmap && typeof offerMedia.sctpPort !== 'number') {
    // draft-ietf-mmusic-sctp-sdp-05 syntax (old browsers).
    media.payloads = String(sctp.port);
    media.sctpmap = {
      app: 'webrtc-datachannel',
      sctpmapNumber: sctp.port,
      ...(maxMessageSize !== undefined ? { maxMessageSize } : {}),
    };
  } else if (!offerMedia || typeof offerMedia.sctpPort === 'number') {
    // RFC 8841 syntax.
    media.payloads = 'webrtc-datachannel';
    media.sctpPort = sctp.port;
    if (maxMessageSize !== undefined) media.maxMessageSize = maxMessageSize;
  }
  return media;
}

/**
 * Tells the browser which simulcast streams are active, so it stops (or
 * restarts) sending the ones a max spatial layer excludes (RFC 8853 "~").
 */
export function muxSimulcastStreams(
  media: MediaDescription,
  encodings: ReadonlyArray<{ rid?: string; active?: boolean }>,
): void {
  const simulcast = media.simulcast;
  if (!simulcast) return;
  const inactive = new Set(encodings.filter((e) => e.active === false).map((e) => e.rid));
  const rids = simulcast.list1.split(';').map((id) => id.replace(/^~/, ''));
  simulcast.list1 = rids.map((rid) => (inactive.has(rid) ? `~${rid}` : rid)).join(';');
}

/** Rejects the section (port 0) and strips the media lines a browser would still parse. */
export function closeSection(media: MediaDescription): void {
  media.direction = 'inactive';
  media.port = 0;
  media.rtp = [];
  media.fmtp = [];
  for (const key of [
    'rtcpFb',
    'ssrcs',
    'ssrcGroups',
    'simulcast',
    'rids',
    'extmapAllowMixed',
  ] as const) {
    delete media[key];
  }
}
