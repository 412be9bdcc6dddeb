import * as v from 'valibot';
import { MAX_DISPLAY_NAME_LENGTH, MAX_ROOM_ID_LENGTH } from './joinLimits.js';
import { AppMessage, AppPayload } from './schemas/appMessage.js';
import { AppData, Empty, Id, list, MediaKind, UInt } from './schemas/common.js';
import { codecsMatchKind, RtpCapabilities, RtpParameters } from './schemas/rtp.js';
import {
  DtlsParameters,
  IceParameters,
  SctpCapabilities,
  SctpStreamParameters,
  TransportOptions,
} from './schemas/transport.js';

/**
 * The `transportId` that names the send transport this session's `join`
 * creates, before the client knows its id: `connectWebRtcTransport` and
 * `produce` can then follow `join` in the same flight (the server handles one
 * peer's requests in order). Valid only when the join took the client's
 * `rtpCapabilities` (`rtpCapabilitiesAccepted`); otherwise NOT_FOUND.
 */
export const JOIN_SEND_TRANSPORT = 'join:send';

/**
 * Requests the client sends and the server answers. The protocol is this data:
 * request and response types are derived from it, and the server's handler
 * table is checked against it.
 *
 * A join takes two round trips, not mediasoup-client's usual eight:
 *  1. `join` returns the router's capabilities, the peers present and, when
 *     asked, both WebRTC transports (so no `createWebRtcTransport` round trips).
 *  2. `setCapabilities` (or `rtpCapabilities` already in `join`) lets the
 *     server push consumers; `connectWebRtcTransport` needs no wait because the
 *     server handles one peer's requests in order, so the client sends it and
 *     the `produce` requests for all its tracks back to back.
 * With `rtpCapabilities` in `join`, `connectWebRtcTransport` and `produce`
 * may name `JOIN_SEND_TRANSPORT` and go in the join's own flight: one round
 * trip to the camera's confirmation.
 */

const PeerDevice = v.object({
  name: v.pipe(v.string(), v.maxLength(64)),
  version: v.optional(v.pipe(v.string(), v.maxLength(64))),
  flag: v.optional(v.pipe(v.string(), v.maxLength(32))),
});

export const PeerInfo = v.object({
  peerId: Id,
  displayName: v.pipe(v.string(), v.maxLength(MAX_DISPLAY_NAME_LENGTH)),
  device: PeerDevice,
  appData: v.optional(AppData),
});

const TransportRequest = v.object({
  /** Open an SCTP association on it, for data producers / consumers. */
  sctp: v.optional(v.boolean()),
  /** Only offer TCP candidates (networks that block UDP). */
  forceTcp: v.optional(v.boolean()),
});

const SessionToken = v.pipe(v.string(), v.minLength(16), v.maxLength(256));
const ProducerRef = v.object({ producerId: Id });
const ConsumerRef = v.object({ consumerId: Id });
const TransportRef = v.object({ transportId: Id });
const Stats = v.object({ stats: list(v.record(v.string(), v.unknown()), 256) });

function method<Q extends v.GenericSchema, R extends v.GenericSchema>(request: Q, response: R) {
  return { request, response };
}

export const clientRequests = {
  join: method(
    v.object({
      protocolVersion: UInt,
      roomId: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ROOM_ID_LENGTH)),
      displayName: v.pipe(v.string(), v.maxLength(MAX_DISPLAY_NAME_LENGTH)),
      device: PeerDevice,
      /** Checked by the application's join hook. */
      token: v.optional(v.pipe(v.string(), v.maxLength(4096))),
      /** Known already (e.g. cached from an earlier join): consumers start at once. */
      rtpCapabilities: v.optional(RtpCapabilities),
      /**
       * `rtpCapabilitiesDigest()` of the router capabilities the device loaded
       * to compute `rtpCapabilities`; the server ignores `rtpCapabilities`
       * when it differs from its router's (stale cache).
       */
      routerRtpCapabilitiesDigest: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/))),
      sctpCapabilities: v.optional(SctpCapabilities),
      /** Transports to create right away, saving a round trip each. */
      transports: v.optional(
        v.object({ send: v.optional(TransportRequest), recv: v.optional(TransportRequest) }),
      ),
      appData: v.optional(AppData),
      /**
       * The `sessionToken` of this tab's previous page in the same room (a
       * reload): the join takes over that seat, same peer id, and the old
       * session ends without `peerLeft`. Unknown or expired tokens are ignored.
       */
      resumeToken: v.optional(SessionToken),
    }),
    v.object({
      peerId: Id,
      routerRtpCapabilities: RtpCapabilities,
      peers: list(PeerInfo, 10_000),
      sendTransport: v.optional(TransportOptions),
      recvTransport: v.optional(TransportOptions),
      /** Secret that lets only this session be resumed on a new connection. */
      sessionToken: v.optional(SessionToken),
      /** How long the server keeps the session after its connection drops. */
      resumeWindowMs: v.optional(UInt),
      /** `rtpCapabilities` of the join were taken: no `setCapabilities` needed. */
      rtpCapabilitiesAccepted: v.optional(v.boolean()),
    }),
  ),
  /**
   * First request on a new connection that takes over a session whose old
   * connection dropped: same peer, transports, producers and consumers. The
   * server replays numbered notifications after `lastSeq` and re-sends the
   * server requests the client had not answered. SESSION_EXPIRED means join again.
   */
  resumeSession: method(
    v.object({ protocolVersion: UInt, sessionToken: SessionToken, lastSeq: UInt }),
    v.object({ peerId: Id, peers: list(PeerInfo, 10_000) }),
  ),
  /** What this peer can receive; the server then creates its consumers. Once per join. */
  setCapabilities: method(
    v.object({ rtpCapabilities: RtpCapabilities, sctpCapabilities: v.optional(SctpCapabilities) }),
    Empty,
  ),
  createWebRtcTransport: method(
    v.object({ direction: v.picklist(['send', 'recv']), ...TransportRequest.entries }),
    TransportOptions,
  ),
  connectWebRtcTransport: method(
    v.object({ transportId: Id, dtlsParameters: DtlsParameters }),
    Empty,
  ),
  restartIce: method(TransportRef, v.object({ iceParameters: IceParameters })),
  produce: method(
    v.pipe(
      v.object({
        transportId: Id,
        kind: MediaKind,
        rtpParameters: RtpParameters,
        paused: v.optional(v.boolean()),
        appData: v.optional(AppData),
      }),
      codecsMatchKind(),
    ),
    v.object({ producerId: Id }),
  ),
  closeProducer: method(ProducerRef, Empty),
  pauseProducer: method(ProducerRef, Empty),
  resumeProducer: method(ProducerRef, Empty),
  pauseConsumer: method(ConsumerRef, Empty),
  resumeConsumer: method(ConsumerRef, Empty),
  closeConsumer: method(ConsumerRef, Empty),
  setConsumerPreferredLayers: method(
    v.object({ consumerId: Id, spatialLayer: UInt, temporalLayer: v.optional(UInt) }),
    Empty,
  ),
  setConsumerPriority: method(
    v.object({ consumerId: Id, priority: v.pipe(UInt, v.minValue(1), v.maxValue(255)) }),
    Empty,
  ),
  requestConsumerKeyFrame: method(ConsumerRef, Empty),
  produceData: method(
    v.object({
      transportId: Id,
      sctpStreamParameters: SctpStreamParameters,
      label: v.optional(v.pipe(v.string(), v.maxLength(256))),
      protocol: v.optional(v.pipe(v.string(), v.maxLength(256))),
      appData: v.optional(AppData),
    }),
    v.object({ dataProducerId: Id }),
  ),
  closeDataProducer: method(v.object({ dataProducerId: Id }), Empty),
  getTransportStats: method(TransportRef, Stats),
  getProducerStats: method(ProducerRef, Stats),
  getConsumerStats: method(ConsumerRef, Stats),
  /**
   * A request the application declared (`defineAppProtocol`), answered by its
   * handler on the server. Unknown app methods get UNKNOWN_METHOD; data that
   * does not match the app's schema, INVALID_DATA.
   */
  appRequest: method(AppMessage, v.object({ data: AppPayload })),
  /** Liveness check; also what a client's heartbeat sends. */
  ping: method(Empty, Empty),
  leave: method(Empty, Empty),
} as const;

/** Requests the server sends and the client answers. */
export const serverRequests = {
  /**
   * Another peer produces: consume it. The consumer is created paused on the
   * server and resumed once the client answers, so no key frame is lost
   * before the client is ready to render.
   */
  newConsumer: method(
    v.pipe(
      v.object({
        peerId: Id,
        producerId: Id,
        id: Id,
        kind: MediaKind,
        rtpParameters: RtpParameters,
        type: v.picklist(['simple', 'simulcast', 'svc', 'pipe']),
        producerPaused: v.boolean(),
        appData: AppData,
      }),
      codecsMatchKind(),
    ),
    Empty,
  ),
  newDataConsumer: method(
    v.object({
      peerId: Id,
      dataProducerId: Id,
      id: Id,
      sctpStreamParameters: SctpStreamParameters,
      label: v.string(),
      protocol: v.string(),
      appData: AppData,
    }),
    Empty,
  ),
} as const;

export type MethodTable = Record<string, { request: v.GenericSchema; response: v.GenericSchema }>;
export type ClientRequests = typeof clientRequests;
export type ServerRequests = typeof serverRequests;

/** `RequestData<ClientRequests, 'produce'>`: what `produce` carries. */
export type RequestData<T extends MethodTable, M extends keyof T> = v.InferOutput<T[M]['request']>;
export type ResponseData<T extends MethodTable, M extends keyof T> = v.InferOutput<
  T[M]['response']
>;

export type PeerInfo = v.InferOutput<typeof PeerInfo>;
export type PeerDevice = v.InferOutput<typeof PeerDevice>;
