import { Device } from '../Device.js';
import { FakeHandler } from '../handlers/FakeHandler.js';
import { FakeMediaStreamTrack } from '../handlers/FakeMediaStreamTrack.js';
import type { Transport } from '../Transport.js';
import * as fake from './fakeParameters.js';

// Shared setup of the specs: a Device over FakeHandler, transports wired to a
// pretend server (the listeners answer like a signaling channel would).

export async function loadedDevice(): Promise<Device> {
  const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
  await device.load({ routerRtpCapabilities: fake.generateRouterRtpCapabilities() });
  return device;
}

export function track(
  kind: 'audio' | 'video',
  options: { enabled?: boolean } = {},
): FakeMediaStreamTrack {
  return new FakeMediaStreamTrack({ kind, ...options });
}

/** A send transport whose 'connect' succeeds and whose 'produce' hands out ids p1, p2... */
export function sendTransport(device: Device): Transport {
  const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
  let nextId = 1;
  transport.on('connect', (_params, callback) => callback());
  transport.on('produce', (_params, callback) => {
    const id = `p${nextId++}`;
    queueMicrotask(() => callback({ id }));
  });
  transport.on('producedata', (_params, callback) => callback({ id: `dp${nextId++}` }));
  return transport;
}

export function recvTransport(device: Device): Transport {
  const transport = device.createRecvTransport(fake.generateTransportRemoteParameters());
  transport.on('connect', (_params, callback) => callback());
  return transport;
}

export function fakeHandlerOf(transport: Transport): FakeHandler {
  return transport.handler as FakeHandler;
}
