import { readFileSync } from 'node:fs';
import {
  getExtendedRtpCapabilities,
  validateAndNormalizeRtpCapabilities,
} from '../../ortc/index.js';
import type { RtpCapabilities } from '../../RtpParameters.js';
import type { DtlsParameters, DtlsRole } from '../../TransportParameters.js';
import type { HandlerOptions } from '../HandlerInterface.js';
import type { PeerConnectionEnvironment } from '../peerConnection.js';
import type { UnifiedPlanBase } from '../UnifiedPlanBase.js';
import type { UnifiedPlanClass } from '../unifiedPlanFactory.js';
import {
  ReplayMediaStream,
  ReplayPeerConnection,
  type ReplayScript,
} from './ReplayPeerConnection.js';

export type Fixture = {
  browser: string;
  userAgent: string;
  scenarios: Record<
    string,
    {
      localSdp: string;
      remoteSdp?: string;
      remoteSdpError?: string;
      notes: Record<string, unknown>;
    }
  >;
};

export function loadFixture(name: string): Fixture {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'),
  ) as Fixture;
}

/** One scenario of a fixture; a missing one is a test bug worth a clear message. */
export function fixtureScenario(fixture: Fixture, name: string): Fixture['scenarios'][string] {
  const scenario = fixture.scenarios[name];
  if (!scenario) throw new Error(`fixture ${fixture.browser} has no ${name} scenario`);
  return scenario;
}

/** What a mediasoup 3.8 router with Opus, VP8, VP9 and H264 announces. */
export function routerRtpCapabilities(): RtpCapabilities {
  const videoFb = [
    { type: 'nack' },
    { type: 'nack', parameter: 'pli' },
    { type: 'ccm', parameter: 'fir' },
    { type: 'goog-remb' },
    { type: 'transport-cc' },
  ];
  const rtx = (pt: number, apt: number) => ({
    kind: 'video' as const,
    mimeType: 'video/rtx',
    preferredPayloadType: pt,
    clockRate: 90000,
    parameters: { apt },
    rtcpFeedback: [],
  });
  const caps: RtpCapabilities = {
    codecs: [
      {
        kind: 'audio',
        mimeType: 'audio/opus',
        preferredPayloadType: 100,
        clockRate: 48000,
        channels: 2,
        parameters: {},
        rtcpFeedback: [{ type: 'nack' }, { type: 'transport-cc' }],
      },
      {
        kind: 'video',
        mimeType: 'video/VP8',
        preferredPayloadType: 101,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: videoFb,
      },
      rtx(102, 101),
      {
        kind: 'video',
        mimeType: 'video/VP9',
        preferredPayloadType: 103,
        clockRate: 90000,
        parameters: { 'profile-id': 0 },
        rtcpFeedback: videoFb,
      },
      rtx(104, 103),
      {
        kind: 'video',
        mimeType: 'video/H264',
        preferredPayloadType: 105,
        clockRate: 90000,
        parameters: {
          'packetization-mode': 1,
          'level-asymmetry-allowed': 1,
          'profile-level-id': '42e01f',
        },
        rtcpFeedback: videoFb,
      },
      rtx(106, 105),
    ],
    headerExtensions: [
      {
        kind: 'audio',
        uri: 'urn:ietf:params:rtp-hdrext:sdes:mid',
        preferredId: 1,
        direction: 'sendrecv',
      },
      {
        kind: 'video',
        uri: 'urn:ietf:params:rtp-hdrext:sdes:mid',
        preferredId: 1,
        direction: 'sendrecv',
      },
      {
        kind: 'video',
        uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
        preferredId: 2,
        direction: 'recvonly',
      },
      {
        kind: 'video',
        uri: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
        preferredId: 3,
        direction: 'recvonly',
      },
      {
        kind: 'audio',
        uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
        preferredId: 4,
        direction: 'sendrecv',
      },
      {
        kind: 'video',
        uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
        preferredId: 4,
        direction: 'sendrecv',
      },
      {
        kind: 'video',
        uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
        preferredId: 5,
        direction: 'sendrecv',
      },
      {
        kind: 'audio',
        uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
        preferredId: 10,
        direction: 'sendrecv',
      },
      { kind: 'video', uri: 'urn:3gpp:video-orientation', preferredId: 11, direction: 'sendrecv' },
      {
        kind: 'video',
        uri: 'urn:ietf:params:rtp-hdrext:toffset',
        preferredId: 12,
        direction: 'sendrecv',
      },
      {
        kind: 'video',
        uri: 'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
        preferredId: 13,
        direction: 'recvonly',
      },
    ],
  };
  validateAndNormalizeRtpCapabilities(caps);
  return caps;
}

export const REMOTE_TRANSPORT = {
  iceParameters: { usernameFragment: 'srvufrag', password: 'srvpassword', iceLite: true },
  iceCandidates: [
    {
      foundation: 'udpcandidate',
      priority: 1076302079,
      ip: '127.0.0.1',
      protocol: 'udp' as const,
      port: 40000,
      type: 'host' as const,
    },
  ],
  dtlsParameters: {
    role: 'auto' as const,
    fingerprints: [{ algorithm: 'sha-256' as const, value: 'AA:BB:CC' }],
  },
  sctpParameters: { port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 262144 },
};

export type ReplayOptions = {
  /** The DTLS role the server announces (default 'auto', as mediasoup does). */
  serverDtlsRole?: DtlsRole;
  /** The transport was created without SCTP (no data channels). */
  withoutSctp?: boolean;
  /** Stand-in for the browser's RTCRtpSender.getCapabilities (codec preferences). */
  rtpSender?: PeerConnectionEnvironment['RTCRtpSender'];
};

/**
 * A handler of `handlerClass` whose RTCPeerConnection replays `script`.
 * It is connected: '@connect' resolves at once and records the DTLS parameters.
 */
export function replayHandler<T extends UnifiedPlanBase>(
  handlerClass: UnifiedPlanClass & (new (options: HandlerOptions) => T),
  direction: 'send' | 'recv',
  script: ReplayScript,
  options: ReplayOptions = {},
) {
  let pc: ReplayPeerConnection | undefined;
  const environment: PeerConnectionEnvironment = {
    RTCPeerConnection: class extends ReplayPeerConnection {
      constructor(configuration: RTCConfiguration) {
        super(configuration, script);
        pc = this;
      }
    } as unknown as typeof RTCPeerConnection,
    MediaStream: ReplayMediaStream as unknown as typeof MediaStream,
    ...(options.rtpSender ? { RTCRtpSender: options.rtpSender } : {}),
  };
  // Subclass only to swap the WebRTC classes; every browser hook (static or not) is inherited.
  const Replaying = class extends (handlerClass as unknown as new (
    o: HandlerOptions,
  ) => UnifiedPlanBase) {
    static environment(): PeerConnectionEnvironment {
      return environment;
    }
  };
  const router = routerRtpCapabilities();
  const connects: Array<{ dtlsParameters: DtlsParameters }> = [];
  const { sctpParameters, dtlsParameters, ...transport } = REMOTE_TRANSPORT;
  const handler = new Replaying({
    direction,
    ...transport,
    dtlsParameters: { ...dtlsParameters, role: options.serverDtlsRole ?? dtlsParameters.role },
    ...(options.withoutSctp ? {} : { sctpParameters }),
    getSendExtendedRtpCapabilities: (native) => getExtendedRtpCapabilities(native, router, false),
  }) as T;
  handler.on('@connect', (params, callback) => {
    connects.push(params);
    callback();
  });
  if (!pc) throw new Error('handler created no RTCPeerConnection');
  return { handler, pc: pc as ReplayPeerConnection, connects };
}
