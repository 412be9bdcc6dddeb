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

/** Bytes of a certificate fingerprint, per hash function (RFC 8122's list). */
const FINGERPRINT_BYTES: Readonly<Record<string, number>> = {
  'sha-1': 20,
  'sha-224': 28,
  'sha-256': 32,
  'sha-384': 48,
  'sha-512': 64,
  md5: 16,
  md2: 16,
};

/**
 * `"sha-256"` and 32 hex pairs joined by colons. The algorithm stays a
 * string in the type (mediasoup-client's type), checked at run time.
 */
const DtlsFingerprint = v.pipe(
  v.object({
    algorithm: v.pipe(
      v.string(),
      v.check(
        (algorithm) => Object.hasOwn(FINGERPRINT_BYTES, algorithm),
        `the fingerprint algorithm must be one of ${Object.keys(FINGERPRINT_BYTES).join(', ')}`,
      ),
    ),
    value: v.pipe(v.string(), v.maxLength(3 * 64)),
  }),
  v.check(({ algorithm, value }) => {
    const bytes = FINGERPRINT_BYTES[algorithm];
    if (bytes === undefined) return false;
    return new RegExp(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){${bytes - 1}}$`).test(value);
  }, 'a fingerprint value is colon-separated hex pairs, as many as its algorithm has bytes'),
);

export const DtlsParameters = v.object({
  role: v.optional(v.picklist(['auto', 'client', 'server'])),
  fingerprints: v.pipe(
    list(DtlsFingerprint, 8),
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
