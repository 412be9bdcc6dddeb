// The ORTC-style RTP types that mediasoup and its clients exchange. Names and
// shapes follow the mediasoup v3 API so apps can pass server answers through.

export type MediaKind = 'audio' | 'video';

/** What an endpoint can send or receive: codecs and RTP header extensions. */
export type RtpCapabilities = {
  codecs?: RtpCodecCapability[] | undefined;
  headerExtensions?: RtpHeaderExtension[] | undefined;
};

export type RtpCodecCapability = {
  kind: MediaKind;
  /** `audio/opus`, `video/VP8`, `video/rtx`... */
  mimeType: string;
  preferredPayloadType: number;
  clockRate: number;
  /** Audio only; defaults to 1. */
  channels?: number | undefined;
  /** Format parameters (`a=fmtp`), e.g. `{ 'profile-id': 2 }`. */
  parameters?: Record<string, unknown> | undefined;
  rtcpFeedback?: RtcpFeedback[] | undefined;
};

export type RtpHeaderExtensionDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export type RtpHeaderExtension = {
  kind: MediaKind;
  uri: RtpHeaderExtensionUri;
  preferredId: number;
  preferredEncrypt?: boolean | undefined;
  /** As seen by the router: `sendonly` means the router only sends it. */
  direction?: RtpHeaderExtensionDirection | undefined;
};

/** How a producer sends or a consumer receives one media stream. */
export type RtpParameters = {
  mid?: string | undefined;
  codecs: RtpCodecParameters[];
  headerExtensions?: RtpHeaderExtensionParameters[] | undefined;
  encodings?: RtpEncodingParameters[] | undefined;
  rtcp?: RtcpParameters | undefined;
  /** `a=msid` value: `<stream id> <track id>`. */
  msid?: string | undefined;
};

export type RtpCodecParameters = {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number | undefined;
  parameters?: Record<string, unknown> | undefined;
  rtcpFeedback?: RtcpFeedback[] | undefined;
};

export type RtcpFeedback = {
  /** `nack`, `ccm`, `goog-remb`, `transport-cc`... */
  type: string;
  /** `pli`, `fir`... */
  parameter?: string | undefined;
};

export type RtpEncodingParameters = {
  active?: boolean | undefined;
  ssrc?: number | undefined;
  rid?: string | undefined;
  codecPayloadType?: number | undefined;
  rtx?: { ssrc: number } | undefined;
  dtx?: boolean | undefined;
  /** `L1T3`, `L3T3_KEY`, `S3T3`... */
  scalabilityMode?: string | undefined;
  scaleResolutionDownBy?: number | undefined;
  maxBitrate?: number | undefined;
  maxFramerate?: number | undefined;
  adaptivePtime?: boolean | undefined;
  priority?: 'very-low' | 'low' | 'medium' | 'high' | undefined;
  networkPriority?: 'very-low' | 'low' | 'medium' | 'high' | undefined;
};

/**
 * Header extension URIs. The known ones autocomplete; any other string is
 * accepted too, because routers (mediasoup 3.8 among them) also offer URIs
 * such as `urn:ietf:params:rtp-hdrext:toffset`.
 */
export type RtpHeaderExtensionUri =
  | 'urn:ietf:params:rtp-hdrext:sdes:mid'
  | 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id'
  | 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id'
  | 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time'
  | 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01'
  | 'urn:ietf:params:rtp-hdrext:ssrc-audio-level'
  | 'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension'
  | 'urn:3gpp:video-orientation'
  | 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time'
  | 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay'
  | 'urn:mediasoup:params:rtp-hdrext:packet-id'
  | (string & {});

export type RtpHeaderExtensionParameters = {
  uri: RtpHeaderExtensionUri;
  id: number;
  encrypt?: boolean | undefined;
  parameters?: Record<string, unknown> | undefined;
};

export type RtcpParameters = {
  cname?: string | undefined;
  reducedSize?: boolean | undefined;
  mux?: boolean | undefined;
};

/**
 * Local capabilities matched against the router's: each codec knows the
 * payload types both sides use for it.
 */
export type ExtendedRtpCapabilities = {
  codecs: ExtendedRtpCodecCapability[];
  headerExtensions: ExtendedRtpHeaderExtension[];
};

export type ExtendedRtpCodecCapability = {
  kind: MediaKind;
  mimeType: string;
  localPayloadType: number;
  localRtxPayloadType?: number | undefined;
  remotePayloadType: number;
  remoteRtxPayloadType?: number | undefined;
  clockRate: number;
  channels?: number | undefined;
  localParameters: Record<string, unknown>;
  remoteParameters: Record<string, unknown>;
  rtcpFeedback?: RtcpFeedback[] | undefined;
};

export type ExtendedRtpHeaderExtension = {
  kind: MediaKind;
  uri: RtpHeaderExtensionUri;
  sendId: number;
  recvId: number;
  encrypt: boolean;
  direction: RtpHeaderExtensionDirection;
};
