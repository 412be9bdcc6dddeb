import * as v from 'valibot';
import { Id, list, UInt } from './common.js';

// ICE, DTLS and SCTP shapes as mediasoup v3 defines them.

export const IceParameters = v.object({
  usernameFragment: v.pipe(v.string(), v.maxLength(256)),
  password: v.pipe(v.string(), v.maxLength(256)),
  iceLite: v.optional(v.boolean()),
});

export const IceCandidate = v.object({
  foundation: v.pipe(v.string(), v.maxLength(64)),
  priority: UInt,
  ip: v.pipe(v.string(), v.maxLength(64)),
  protocol: v.picklist(['udp', 'tcp']),
  port: UInt,
  type: v.picklist(['host', 'srflx', 'prflx', 'relay']),
  tcpType: v.optional(v.picklist(['active', 'passive', 'so'])),
});

export const DtlsParameters = v.object({
  role: v.optional(v.picklist(['auto', 'client', 'server'])),
  fingerprints: v.pipe(
    list(
      v.object({
        algorithm: v.pipe(v.string(), v.maxLength(16)),
        value: v.pipe(v.string(), v.maxLength(256)),
      }),
      8,
    ),
    v.minLength(1, 'at least one DTLS fingerprint is needed'),
  ),
});

export const SctpCapabilities = v.object({
  numStreams: v.object({ OS: UInt, MIS: UInt }),
});

export const SctpParameters = v.object({
  port: UInt,
  OS: UInt,
  MIS: UInt,
  maxMessageSize: UInt,
});

export const SctpStreamParameters = v.object({
  streamId: v.pipe(UInt, v.maxValue(65534)),
  ordered: v.optional(v.boolean()),
  maxPacketLifeTime: v.optional(UInt),
  maxRetransmits: v.optional(UInt),
});

/** Everything `device.createSendTransport()` / `createRecvTransport()` takes from the server. */
export const TransportOptions = v.object({
  id: Id,
  iceParameters: IceParameters,
  iceCandidates: list(IceCandidate, 32),
  dtlsParameters: DtlsParameters,
  sctpParameters: v.optional(SctpParameters),
});

export type IceParameters = v.InferOutput<typeof IceParameters>;
export type IceCandidate = v.InferOutput<typeof IceCandidate>;
export type DtlsParameters = v.InferOutput<typeof DtlsParameters>;
export type SctpCapabilities = v.InferOutput<typeof SctpCapabilities>;
export type SctpParameters = v.InferOutput<typeof SctpParameters>;
export type SctpStreamParameters = v.InferOutput<typeof SctpStreamParameters>;
export type TransportOptions = v.InferOutput<typeof TransportOptions>;
