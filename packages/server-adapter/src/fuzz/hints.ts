import { PROTOCOL_VERSION, type RtpParameters } from '@vroom/protocol';
import fc from 'fast-check';
import {
  deviceRtpCapabilities,
  dtlsParameters,
  opusParameters,
  sctpCapabilities,
  simulcastVp8Parameters,
  vp8Parameters,
} from '../test/fixtures.js';
import type { FieldHint } from './schemaArbitrary.js';
import { type RefKind, ref } from './wire.js';

/** Rooms the fuzzer joins: the bystanders' room, one of its own, and random ones. */
export const FUZZ_ROOMS = ['fuzz-a', 'fuzz-b'] as const;

/** Which server-made id a field names. */
const ID_FIELDS: Record<string, RefKind> = {
  transportId: 'transport',
  producerId: 'producer',
  consumerId: 'consumer',
  dataProducerId: 'dataProducer',
  peerId: 'peer',
  sessionToken: 'token',
};

const refTo = (kind: RefKind) => fc.nat({ max: 40 }).map((index) => ref(kind, index));

/** Fixture parameters with fresh SSRCs, chosen by generation (so a seed replays the same). */
const fixtureRtpParameters = fc
  .tuple(fc.constantFrom(opusParameters, vp8Parameters, simulcastVp8Parameters), fc.nat(1e8))
  .map(([make, ssrc]): RtpParameters => {
    const parameters = make();
    return {
      ...parameters,
      encodings: parameters.encodings?.map((encoding) =>
        encoding.ssrc === undefined
          ? encoding
          : { ...encoding, ssrc: ssrc + 1, ...(encoding.rtx ? { rtx: { ssrc: ssrc + 2 } } : {}) },
      ),
    };
  });

/**
 * What realistic clients put in the fields where a schema-valid random value
 * would say nothing to the server: ids it made, the protocol version, RTP
 * parameters a browser sends. The schema-derived value stays one of the
 * choices, so the checks behind each field are fuzzed too.
 */
export const fieldHint: FieldHint = (key, derived) => {
  const kind = ID_FIELDS[key];
  if (kind)
    return fc.oneof({ weight: 4, arbitrary: refTo(kind) }, { weight: 1, arbitrary: derived });
  switch (key) {
    case 'protocolVersion':
      return fc.oneof({ weight: 8, arbitrary: fc.constant(PROTOCOL_VERSION) }, derived);
    case 'roomId':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FUZZ_ROOMS) }, derived);
    case 'rtpParameters':
      return fc.oneof({ weight: 3, arbitrary: fixtureRtpParameters }, derived);
    case 'rtpCapabilities':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(deviceRtpCapabilities) }, derived);
    case 'dtlsParameters':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(dtlsParameters) }, derived);
    case 'sctpCapabilities':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(sctpCapabilities) }, derived);
    case 'lastSeq':
      return fc.oneof({ weight: 3, arbitrary: fc.nat(20) }, derived);
    default:
      return derived;
  }
};
