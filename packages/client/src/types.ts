// Every public type of the package in one namespace (`types` in the main
// entry, `@vroom/client/types` on its own), plus the error classes.

export type * from './Consumer.js';
export type * from './DataConsumer.js';
export type * from './DataProducer.js';
export type * from './Device.js';
export type * from './enhancedEvents.js';
export { InvalidStateError, UnsupportedError } from './errors.js';
export type { FakeParameters } from './handlers/FakeHandler.js';
export type * from './handlers/HandlerInterface.js';
export type * from './Producer.js';
export type * from './RtpParameters.js';
export type * from './SctpParameters.js';
export type { ScalabilityMode } from './scalabilityModes.js';
export type * from './Transport.js';
export type * from './TransportParameters.js';

/** App-owned data attached to transports, producers and consumers. */
export type AppData = {
  [key: string]: unknown;
};
