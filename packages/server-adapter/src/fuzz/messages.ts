import {
  clientRequests,
  ErrorCode,
  PROTOCOL_VERSION,
  serverNotifications,
  serverRequests,
} from '@vroom/protocol';
import fc from 'fast-check';
import { deviceRtpCapabilities, sctpCapabilities } from '../test/fixtures.js';
import { FUZZ_ROOMS, fieldHint } from './hints.js';
import { mutated, nastyValue, PROTOTYPE_KEYS } from './mutations.js';
import { arbitraryOf } from './schemaArbitrary.js';
import { FRESH_ID, REPEATED_ID } from './wire.js';

/**
 * One message a fuzzing client sends. `value` is rendered by `wire.ts` at send
 * time (ids it names are resolved then); `text` and `bytes` go as they are;
 * `truncated` is a rendered value cut short.
 */
export type FuzzMessage =
  | { kind: 'value'; value: unknown }
  | { kind: 'truncated'; value: unknown; keep: number }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array };

type Method = keyof typeof clientRequests;
const METHODS = Object.keys(clientRequests) as Method[];

/** Request data each method's table accepts, with fields hinted (`hints.ts`). */
const validData = Object.fromEntries(
  METHODS.map((method) => [method, arbitraryOf(clientRequests[method].request, fieldHint)]),
) as Record<Method, fc.Arbitrary<unknown>>;

const methodName = fc.constantFrom(...METHODS);

const request = (method: string, data: unknown, id: unknown = FRESH_ID): FuzzMessage => ({
  kind: 'value',
  value: { id, method, data },
});

/** Valid envelope, valid data: drives the server into every state. */
const validRequest = methodName.chain((method) =>
  validData[method].map((data) => request(method, data)),
);

/** Valid envelope, data mutated around a valid value. */
const mutatedRequest = methodName.chain((method) =>
  mutated(validData[method]).map((data) => request(method, data)),
);

/** Method names a server must refuse: the other tables', prototype keys, junk. */
const unknownMethod = fc.oneof(
  fc.constantFrom(...Object.keys(serverRequests), ...Object.keys(serverNotifications)),
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.string({ minLength: 1, maxLength: 70 }),
);

const errorPayload = fc.record({
  code: fc.oneof(fc.constantFrom(...Object.values(ErrorCode)), fc.string()),
  message: fc.string({ maxLength: 20 }),
});

/** Right envelope shape, wrong everything else. */
const envelopeOddity: fc.Arbitrary<FuzzMessage> = fc.oneof(
  unknownMethod.map((method) => request(method, {})),
  // The same id twice in a row: each copy is answered.
  fc
    .tuple(methodName, fc.constant(null))
    .chain(([method]) => validData[method].map((data) => request(method, data, REPEATED_ID))),
  fc.tuple(methodName, nastyValue).map(([method, id]) => request(method, {}, id)),
  methodName.map((method): FuzzMessage => ({ kind: 'value', value: { id: FRESH_ID, method } })),
  fc.tuple(methodName, nastyValue).map(([method, data]) => request(method, data)),
  // Notifications (no id), numbered or not: the server takes none from clients.
  fc
    .tuple(fc.oneof(methodName, unknownMethod), fc.option(nastyValue, { nil: undefined }))
    .map(([method, seq]): FuzzMessage => ({ kind: 'value', value: { method, data: {}, seq } })),
  // Responses to requests never made.
  fc.tuple(fc.oneof(fc.nat(), fc.constant(null)), fc.boolean(), errorPayload, nastyValue).map(
    ([id, ok, error, data]): FuzzMessage => ({
      kind: 'value',
      value: ok ? { id, ok, data } : { id, ok, error },
    }),
  ),
  fc
    .tuple(methodName, fc.constantFrom(...PROTOTYPE_KEYS), nastyValue)
    .map(([method, key, value]) => ({
      kind: 'value' as const,
      value: Object.defineProperty({ id: FRESH_ID, method, data: {} }, key, {
        value,
        enumerable: true,
      }),
    })),
);

/** Bytes that are not a message at all. */
const junk: fc.Arbitrary<FuzzMessage> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes): FuzzMessage => ({ kind: 'bytes', bytes })),
  fc.string({ unit: 'binary', maxLength: 64 }).map((text): FuzzMessage => ({ kind: 'text', text })),
  fc
    .constantFrom('', '{}', '[]', 'null', '1', '"x"', '\ufeff{}', '{"id":1}')
    .map((text): FuzzMessage => ({ kind: 'text', text })),
  fc
    .tuple(validRequest, fc.nat())
    .map(
      ([message, keep]): FuzzMessage =>
        message.kind === 'value' ? { kind: 'truncated', value: message.value, keep } : message,
    ),
);

/**
 * How a fuzzing client starts: most join one of the fuzzed rooms with both
 * transports and capabilities (so later messages reach the handlers behind
 * `join`), some start with whatever the mix draws.
 */
export const opening: fc.Arbitrary<FuzzMessage[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(validData.join, fc.constantFrom(...FUZZ_ROOMS)).map(([data, roomId]) => [
      request('join', {
        ...(data as object),
        protocolVersion: PROTOCOL_VERSION,
        roomId,
        rtpCapabilities: deviceRtpCapabilities,
        sctpCapabilities,
        transports: { send: { sctp: true }, recv: { sctp: true } },
      }),
    ]),
  },
  { weight: 1, arbitrary: fc.constant<FuzzMessage[]>([]) },
);

/** The mix every fuzzing client draws from. */
export const fuzzMessage: fc.Arbitrary<FuzzMessage> = fc.oneof(
  { weight: 5, arbitrary: validRequest },
  { weight: 4, arbitrary: mutatedRequest },
  { weight: 2, arbitrary: envelopeOddity },
  { weight: 1, arbitrary: junk },
);

/** How the fuzzing client answers the server's `newConsumer` / `newDataConsumer`. */
export type ServerRequestAnswer = 'ok' | 'error' | 'garbage' | 'never';
export const serverRequestAnswer = fc.constantFrom<ServerRequestAnswer>(
  'ok',
  'ok',
  'ok',
  'error',
  'garbage',
  'never',
);
