import * as fake from '../../test/fakeParameters.js';
import type { RoomClientEvents } from '../events.js';
import type { RoomClient } from '../RoomClient.js';
import { FakeClock } from './FakeClock.js';
import { BOB, createRoom, fakeTrack, newConsumer, nextEvent } from './fixtures.js';
import { ScriptedServer } from './ScriptedServer.js';

/** What the recovery specs (resume, rejoin, ICE) start from. */

export function nextReconnected(room: RoomClient): Promise<RoomClientEvents['reconnected'][0]> {
  return nextEvent(room, 'reconnected').then(([event]) => event);
}

/** A joined room with camera, microphone and one track of Bob's, on a fake clock. */
export async function joinedWithMedia(options: Parameters<typeof createRoom>[1] = {}) {
  const server = new ScriptedServer();
  server.peers = [BOB];
  server.on('restartIce', () => ({
    iceParameters: fake.generateTransportRemoteParameters().iceParameters,
  }));
  const clock = new FakeClock();
  const test = createRoom(server, { clock, reconnect: { random: () => 0.5 }, ...options });
  const { room } = test;
  await room.join();
  const camera = fakeTrack('video');
  const microphone = fakeTrack('audio');
  await Promise.all([
    room.enableCamera({ track: camera }),
    room.enableMicrophone({ track: microphone }),
  ]);
  const bobCamera = newConsumer('bob', 'video', { source: 'camera' });
  await server.request('newConsumer', bobCamera);
  return { server, clock, camera, microphone, bobCamera, ...test };
}
