import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type * as protocol from '@vroom/protocol';
import type { types } from './index.js';
import * as client from './index.js';

const require = createRequire(import.meta.url);
const oracle = require('mediasoup-client') as Record<string, unknown> & {
  ortc: object;
  testFakeParameters: object;
  enhancedEvents: object;
};

describe('main entry', () => {
  it("exports mediasoup-client 3.24.1's names, plus the two error classes", () => {
    const ours = Object.keys(client).sort();
    const theirs = [...Object.keys(oracle), 'InvalidStateError', 'UnsupportedError'].sort();
    assert.deepEqual(ours, theirs);
    assert.equal(client.version, '3.24.1');
    assert.equal(typeof client.debug, 'function');
  });

  it('exposes every ortc, testFakeParameters and enhancedEvents function mediasoup-client has', () => {
    for (const [name, theirs, ours] of [
      ['ortc', oracle.ortc, client.ortc],
      ['testFakeParameters', oracle.testFakeParameters, client.testFakeParameters],
      ['enhancedEvents', oracle.enhancedEvents, client.enhancedEvents],
    ] as const) {
      for (const key of Object.keys(theirs)) assert.ok(key in ours, `${name}.${key}`);
    }
  });

  it('exposes the error classes in the types namespace too', () => {
    assert.equal(client.types.InvalidStateError, client.InvalidStateError);
    assert.ok(new client.UnsupportedError('x') instanceof Error);
    assert.equal(new client.UnsupportedError('x').name, 'UnsupportedError');
  });
});

// Compile-time specification: what the server sends (typed by @vroom/protocol)
// goes straight into the client API. `tsc` fails if these stop holding.
type Assignable<From, To> = [From] extends [To] ? true : false;
const protocolToClient: [
  Assignable<protocol.RtpParameters, types.RtpParameters>,
  Assignable<protocol.IceParameters, types.IceParameters>,
  Assignable<protocol.IceCandidate, types.IceCandidate>,
  Assignable<protocol.DtlsParameters, types.DtlsParameters>,
  Assignable<protocol.SctpParameters, types.SctpParameters>,
  Assignable<protocol.SctpCapabilities, types.SctpCapabilities>,
] = [true, true, true, true, true, true];
const clientToProtocol: [
  Assignable<types.RtpCapabilities, protocol.RtpCapabilities>,
  Assignable<types.RtpParameters, protocol.RtpParameters>,
  Assignable<types.SctpCapabilities, protocol.SctpCapabilities>,
  Assignable<types.IceParameters, protocol.IceParameters>,
] = [true, true, true, true];
// Not yet: protocol.RtpCapabilities -> client (the protocol makes
// preferredPayloadType optional; mediasoup-client requires it) and
// protocol.SctpStreamParameters -> client (explicit undefined in optional fields).

describe('types shared with @vroom/protocol', () => {
  it('are checked by the compiler (see the assignability tuples in this file)', () => {
    assert.ok([...protocolToClient, ...clientToProtocol].every(Boolean));
  });
});
