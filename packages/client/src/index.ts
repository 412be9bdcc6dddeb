/** Every public type, and the error classes. */
export * as types from './types.js';

/** The mediasoup-client version whose API this package implements. */
export const version = '3.24.1';

/** The `debug` package the SDK logs through, so apps can enable namespaces (`debug.enable('vroom:*')`). */
export { default as debug } from 'debug';
export { Device, detectDevice, detectDeviceAsync } from './Device.js';
export * as enhancedEvents from './enhancedEvents.js';
export { InvalidStateError, UnsupportedError } from './errors.js';
// Test helpers: unused imports of these are dropped by bundlers
// (`sideEffects: false`), so browser bundles only carry them when used.
export { FakeHandler } from './handlers/FakeHandler.js';
export * as ortc from './ortc/index.js';
export { parse as parseScalabilityMode } from './scalabilityModes.js';
export * as testFakeParameters from './test/fakeParameters.js';
