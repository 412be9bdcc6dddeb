import type { ConsumerOptions } from '../Consumer.js';
import { generateRandomNumber } from '../clone.js';
import type { DataConsumerOptions } from '../DataConsumer.js';
import type {
  MediaKind,
  RtcpFeedback,
  RtpCapabilities,
  RtpCodecCapability,
  RtpHeaderExtension,
  RtpHeaderExtensionParameters,
  RtpParameters,
} from '../RtpParameters.js';
import type { SctpCapabilities } from '../SctpParameters.js';
import type { TransportOptions } from '../Transport.js';
import type { DtlsParameters } from '../TransportParameters.js';

// Plausible server answers and device capabilities, so apps (and this
// package) can exercise Device/Transport over FakeHandler in Node without
// WebRTC or a server. Values mirror what a mediasoup router and a recent
// Chrome report; ids are random so tests do not depend on them.

const VIDEO_FEEDBACK: RtcpFeedback[] = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb' },
  { type: 'transport-cc' },
];

function video(
  mimeType: string,
  payloadType: number,
  parameters: Record<string, unknown>,
): RtpCodecCapability {
  return {
    kind: 'video',
    mimeType,
    preferredPayloadType: payloadType,
    clockRate: 90000,
    parameters,
    rtcpFeedback: VIDEO_FEEDBACK.map((fb) => ({ ...fb })),
  };
}

function rtx(payloadType: number, apt: number): RtpCodecCapability {
  return {
    kind: 'video',
    mimeType: 'video/rtx',
    preferredPayloadType: payloadType,
    clockRate: 90000,
    parameters: { apt },
    rtcpFeedback: [],
  };
}

function ext(
  kind: MediaKind,
  uri: string,
  preferredId: number,
  direction: RtpHeaderExtension['direction'] = 'sendrecv',
): RtpHeaderExtension {
  return { kind, uri, preferredId, preferredEncrypt: false, direction };
}

const MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const RID = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
const RRID = 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id';
const ABS_SEND_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
const TRANSPORT_CC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const AUDIO_LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const VIDEO_ORIENTATION = 'urn:3gpp:video-orientation';
const TOFFSET = 'urn:ietf:params:rtp-hdrext:toffset';

/** RTP capabilities as a mediasoup router with opus, VP8, VP9 and H264 reports them. */
export function generateRouterRtpCapabilities(): RtpCapabilities {
  return {
    codecs: [
      {
        kind: 'audio',
        mimeType: 'audio/opus',
        preferredPayloadType: 100,
        clockRate: 48000,
        channels: 2,
        parameters: { useinbandfec: 1 },
        rtcpFeedback: [{ type: 'transport-cc' }],
      },
      video('video/VP8', 101, { 'x-google-start-bitrate': 1500 }),
      rtx(102, 101),
      video('video/H264', 103, {
        'level-asymmetry-allowed': 1,
        'packetization-mode': 1,
        'profile-level-id': '42e01f',
      }),
      rtx(104, 103),
      video('video/VP9', 105, { 'profile-id': 0 }),
      rtx(106, 105),
    ],
    headerExtensions: [
      ext('audio', MID, 1),
      ext('video', MID, 1),
      ext('video', RID, 2, 'recvonly'),
      ext('video', RRID, 3, 'recvonly'),
      ext('audio', ABS_SEND_TIME, 4),
      ext('video', ABS_SEND_TIME, 4),
      ext('audio', TRANSPORT_CC, 5, 'recvonly'),
      ext('video', TRANSPORT_CC, 5),
      ext('audio', AUDIO_LEVEL, 10),
      ext('video', VIDEO_ORIENTATION, 11),
      ext('video', TOFFSET, 12),
    ],
  };
}

/** RTP capabilities as a recent Chrome reports them (what FakeHandler claims to support). */
export function generateNativeRtpCapabilities(): RtpCapabilities {
  return {
    codecs: [
      {
        kind: 'audio',
        mimeType: 'audio/opus',
        preferredPayloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [{ type: 'transport-cc' }],
      },
      {
        kind: 'audio',
        mimeType: 'audio/ISAC',
        preferredPayloadType: 103,
        clockRate: 16000,
        channels: 1,
        parameters: {},
        rtcpFeedback: [{ type: 'transport-cc' }],
      },
      {
        kind: 'audio',
        mimeType: 'audio/CN',
        preferredPayloadType: 106,
        clockRate: 32000,
        channels: 1,
        parameters: {},
        rtcpFeedback: [],
      },
      video('video/VP8', 96, {}),
      rtx(97, 96),
      video('video/VP9', 98, { 'profile-id': 0 }),
      rtx(99, 98),
      video('video/VP9', 100, { 'profile-id': 2 }),
      rtx(101, 100),
      video('video/H264', 102, {
        'level-asymmetry-allowed': 1,
        'packetization-mode': 1,
        'profile-level-id': '42001f',
      }),
      rtx(121, 102),
      video('video/H264', 125, {
        'level-asymmetry-allowed': 1,
        'packetization-mode': 1,
        'profile-level-id': '42e01f',
      }),
      rtx(107, 125),
      video('video/H264', 108, {
        'level-asymmetry-allowed': 1,
        'packetization-mode': 0,
        'profile-level-id': '42e01f',
      }),
      rtx(109, 108),
      video('video/AV1', 45, {}),
      rtx(46, 45),
    ],
    headerExtensions: [
      ext('audio', MID, 4),
      ext('video', MID, 4),
      ext('video', RID, 10),
      ext('video', RRID, 11),
      ext('audio', ABS_SEND_TIME, 2),
      ext('video', ABS_SEND_TIME, 2),
      ext('audio', TRANSPORT_CC, 3),
      ext('video', TRANSPORT_CC, 3),
      ext('audio', AUDIO_LEVEL, 1),
      ext('video', VIDEO_ORIENTATION, 13),
      ext('video', TOFFSET, 14),
    ],
  };
}

/** SCTP capabilities as browsers report them (1024 streams each way). */
export function generateNativeSctpCapabilities(): SctpCapabilities {
  return { numStreams: { OS: 1024, MIS: 1024 } };
}

function randomHex(bytes: number): string {
  return Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0')
      .toUpperCase(),
  ).join(':');
}

function randomToken(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(
    '',
  );
}

/** DTLS parameters of the local (browser) side. */
export function generateLocalDtlsParameters(): DtlsParameters {
  return { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: randomHex(32) }] };
}

/** What a server answers to "create a WebRTC transport", with SCTP enabled. */
export function generateTransportRemoteParameters(): TransportOptions {
  return {
    id: String(generateRandomNumber()),
    iceParameters: { iceLite: true, usernameFragment: randomToken(16), password: randomToken(32) },
    iceCandidates: [
      {
        foundation: 'udpcandidate',
        address: '203.0.113.10',
        ip: '203.0.113.10',
        port: 40533,
        priority: 1078862079,
        protocol: 'udp',
        type: 'host',
      },
      {
        foundation: 'tcpcandidate',
        address: '203.0.113.10',
        ip: '203.0.113.10',
        port: 41333,
        priority: 1078862069,
        protocol: 'tcp',
        type: 'host',
        tcpType: 'passive',
      },
    ],
    dtlsParameters: {
      role: 'auto',
      fingerprints: [
        { algorithm: 'sha-256', value: randomHex(32) },
        { algorithm: 'sha-512', value: randomHex(64) },
      ],
    },
    sctpParameters: {
      port: 5000,
      OS: 1024,
      MIS: 1024,
      maxMessageSize: 262144,
      maxSendMessageSize: 262144,
      maxReceiveMessageSize: 262144,
    },
  };
}

/** What a server answers to "produce". */
export function generateProducerRemoteParameters(): { id: string } {
  return { id: String(generateRandomNumber()) };
}

const CONSUMER_HEADER_EXTENSIONS: Record<MediaKind, RtpHeaderExtensionParameters[]> = {
  audio: [
    { uri: MID, id: 1 },
    { uri: TRANSPORT_CC, id: 5 },
    { uri: AUDIO_LEVEL, id: 10 },
  ],
  video: [
    { uri: MID, id: 1 },
    { uri: ABS_SEND_TIME, id: 4 },
    { uri: TRANSPORT_CC, id: 5 },
    { uri: VIDEO_ORIENTATION, id: 11 },
  ],
};

/**
 * What a server answers to "consume": codecs follow the router of
 * generateRouterRtpCapabilities(). `codecMimeType` is one of `audio/opus`,
 * `video/VP8`, `video/H264` or `video/VP9` (default `audio/opus`).
 */
export function generateConsumerRemoteParameters({
  id,
  codecMimeType = 'audio/opus',
}: {
  id?: string;
  codecMimeType?: string;
} = {}): ConsumerOptions {
  const router = generateRouterRtpCapabilities().codecs ?? [];
  const media = router.find(
    (codec) => codec.mimeType.toLowerCase() === codecMimeType.toLowerCase(),
  );
  if (!media) {
    throw new TypeError(
      `unknown codecMimeType "${codecMimeType}": use audio/opus, video/VP8, video/H264 or video/VP9`,
    );
  }
  const retransmission = router.find(
    (codec) => codec.parameters?.apt === media.preferredPayloadType,
  );
  const toParameters = ({ preferredPayloadType, kind: _kind, ...rest }: RtpCodecCapability) => ({
    ...rest,
    payloadType: preferredPayloadType,
  });
  const ssrc = generateRandomNumber();
  const rtpParameters: RtpParameters = {
    codecs: retransmission
      ? [toParameters(media), toParameters(retransmission)]
      : [toParameters(media)],
    headerExtensions: CONSUMER_HEADER_EXTENSIONS[media.kind].map((e) => ({ ...e })),
    encodings: [retransmission ? { ssrc, rtx: { ssrc: ssrc + 1 } } : { ssrc }],
    rtcp: { cname: randomToken(16), reducedSize: true, mux: true },
  };
  return {
    id: id ?? String(generateRandomNumber()),
    producerId: String(generateRandomNumber()),
    kind: media.kind,
    rtpParameters,
  };
}

/** What a server answers to "produceData". */
export function generateDataProducerRemoteParameters(): { id: string } {
  return { id: String(generateRandomNumber()) };
}

/** What a server answers to "consumeData" (an unordered stream with a 5 s lifetime). */
export function generateDataConsumerRemoteParameters({
  id,
}: {
  id?: string;
} = {}): DataConsumerOptions {
  return {
    id: id ?? String(generateRandomNumber()),
    dataProducerId: String(generateRandomNumber()),
    sctpStreamParameters: { streamId: 666, maxPacketLifeTime: 5000 },
  };
}
