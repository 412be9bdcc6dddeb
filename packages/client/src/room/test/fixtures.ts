import type { RequestData, ServerRequests } from '@vroom/protocol';
import { generateRandomNumber } from '../../clone.js';
import type { FakeDataChannel } from '../../handlers/FakeDataChannel.js';
import { FakeHandler } from '../../handlers/FakeHandler.js';
import { FakeMediaStreamTrack } from '../../handlers/FakeMediaStreamTrack.js';
import type { HandlerFactory } from '../../handlers/HandlerInterface.js';
import * as fake from '../../test/fakeParameters.js';
import type { RoomClientEvents, RoomEventName } from '../events.js';
import { RoomClient, type RoomClientOptions } from '../RoomClient.js';
import type { ScriptedServer } from './ScriptedServer.js';

/**
 * FakeHandler, with the data channels it creates kept aside: FakeHandler has
 * no SCTP, so tests play the far end by hand (`receive()` on a received
 * channel, `sent` on a sending one).
 */
export function fakeHandlerFactory(): {
  handlerFactory: HandlerFactory;
  sending: FakeDataChannel[];
  receiving: FakeDataChannel[];
  holdReceives: () => () => void;
} {
  const base = FakeHandler.createFactory(fake);
  const sending: FakeDataChannel[] = [];
  const receiving: FakeDataChannel[] = [];
  // FakeHandler receives within microtasks; tests that need a notification
  // to arrive DURING a consume hold it here.
  let gate: Promise<void> = Promise.resolve();
  const holdReceives = () => {
    let release: () => void = () => undefined;
    gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    return release;
  };
  const handlerFactory: HandlerFactory = {
    ...base,
    factory: (options) => {
      const handler = base.factory(options);
      const send = handler.sendDataChannel.bind(handler);
      const receive = handler.receiveDataChannel.bind(handler);
      const receiveTracks = handler.receive.bind(handler);
      handler.receive = async (optionsList) => {
        await gate;
        return receiveTracks(optionsList);
      };
      handler.sendDataChannel = async (o) => {
        const result = await send(o);
        sending.push(result.dataChannel as unknown as FakeDataChannel);
        return result;
      };
      handler.receiveDataChannel = async (o) => {
        const result = await receive(o);
        receiving.push(result.dataChannel as unknown as FakeDataChannel);
        return result;
      };
      return handler;
    },
  };
  return { handlerFactory, sending, receiving, holdReceives };
}

export type TestRoom = {
  room: RoomClient;
  sending: FakeDataChannel[];
  receiving: FakeDataChannel[];
  holdReceives: () => () => void;
};

/**
 * A RoomClient on FakeHandler talking to `server`; no heartbeat and no early
 * chat channel unless asked, so request lists stay exact.
 */
export function createRoom(
  server: ScriptedServer,
  options: Partial<RoomClientOptions> = {},
): TestRoom {
  const { handlerFactory, sending, receiving, holdReceives } = fakeHandlerFactory();
  const room = new RoomClient({
    channel: server.channel,
    roomId: 'room-1',
    displayName: 'Alice',
    device: { handlerFactory },
    heartbeat: false,
    chat: false,
    ...options,
  });
  return { room, sending, receiving, holdReceives };
}

export function fakeTrack(kind: 'audio' | 'video'): MediaStreamTrack {
  return new FakeMediaStreamTrack({ kind }).asTrack();
}

/** The next `event` of the room, with its arguments. */
export function nextEvent<K extends RoomEventName>(
  room: RoomClient,
  event: K,
): Promise<RoomClientEvents[K]> {
  return new Promise((resolve) => {
    room.once(event, (...args) => resolve(args));
  });
}

/** Every `event` of the room, recorded from now on. */
export function recordEvents<K extends RoomEventName>(
  room: RoomClient,
  event: K,
): RoomClientEvents[K][] {
  const seen: RoomClientEvents[K][] = [];
  room.on(event, (...args) => seen.push(args));
  return seen;
}

/** A `newConsumer` request as the server sends it, for a router of testFakeParameters. */
export function newConsumer(
  peerId: string,
  kind: 'audio' | 'video',
  appData: Record<string, unknown> = {},
  producerPaused = false,
): RequestData<ServerRequests, 'newConsumer'> {
  const params = fake.generateConsumerRemoteParameters({
    codecMimeType: kind === 'audio' ? 'audio/opus' : 'video/VP8',
  });
  return {
    peerId,
    producerId: `producer-${generateRandomNumber()}`,
    id: `consumer-${generateRandomNumber()}`,
    kind,
    rtpParameters: params.rtpParameters as RequestData<
      ServerRequests,
      'newConsumer'
    >['rtpParameters'],
    type: 'simple',
    producerPaused,
    appData,
  };
}

export function newDataConsumer(
  peerId: string,
  label: string,
): RequestData<ServerRequests, 'newDataConsumer'> {
  return {
    peerId,
    dataProducerId: `dp-${generateRandomNumber()}`,
    id: `dc-${generateRandomNumber()}`,
    sctpStreamParameters: { streamId: Math.floor(Math.random() * 1000), ordered: true },
    label,
    protocol: '',
    appData: {},
  };
}

export const BOB = { peerId: 'bob', displayName: 'Bob', device: { name: 'FakeHandler' } };
export const CAROL = { peerId: 'carol', displayName: 'Carol', device: { name: 'Chrome111' } };

/** A few macrotasks: lets messages cross the MemoryChannel both ways. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
