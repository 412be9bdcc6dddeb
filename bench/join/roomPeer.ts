import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Node } from '../../packages/client/src/handlers/Node.js';
import { RoomClient, type RoomClientOptions } from '../../packages/client/src/room/index.js';
import { firstFrame, syntheticTracks, wrtc } from './media.js';

const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { WebSocket } = require('ws') as typeof import('ws');

/** How long a fake getUserMedia takes: a real one is never instant. */
export const CAPTURE_MS = 30;

/**
 * Our RoomClient, as an app would write it: join, then camera and microphone
 * with ONE getUserMedia (a stand-in over wrtc tracks that takes
 * `CAPTURE_MS`; Node has no camera), chat on (the default). With
 * `routerRtpCapabilities` (an app that fetched them beforehand) the join
 * carries ours and skips `setCapabilities`. With `tracksInJoin` the app
 * captures first (a preview) and gives the tracks to `join()`: with known
 * capabilities, connect and produce then go in the join's own flight.
 */
export async function roomPeer(
  url: string,
  roomId: string,
  name: string,
  onVideo: (at: Promise<number>) => void,
  routerRtpCapabilities?: RoomClientOptions['routerRtpCapabilities'],
  tracksInJoin = false,
) {
  const room = new RoomClient({
    ...(routerRtpCapabilities ? { routerRtpCapabilities } : {}),
    url,
    WebSocket: WebSocket as never,
    roomId,
    displayName: name,
    device: { handlerFactory: Node.createFactory({ wrtc }) },
    heartbeat: false,
    reconnect: false,
  });
  room.on('trackadded', ({ track, kind }) => {
    if (kind === 'video') onVideo(firstFrame(track));
  });
  if (tracksInJoin) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const [video] = stream.getVideoTracks();
    const [audio] = stream.getAudioTracks();
    if (!video || !audio) throw new Error('the stand-in capture gave no track');
    await room.join({
      camera: { track: video, simulcast: false },
      microphone: { track: audio },
    });
    if (!room.localTrack('camera')) throw new Error('the camera given to join() was not published');
  } else {
    await room.join();
    await room.enableCameraAndMicrophone({ camera: { simulcast: false } });
  }
  const cameraConfirmedAt = performance.now();
  return { cameraConfirmedAt, close: () => room.leave() };
}

/** Installs the stand-in getUserMedia (Node has none): synthetic wrtc tracks after `CAPTURE_MS`. */
export function installFakeGetUserMedia(): void {
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: {
      onLine: true,
      mediaDevices: {
        getUserMedia: async () => {
          await new Promise((resolve) => setTimeout(resolve, CAPTURE_MS));
          const { video, audio } = syntheticTracks();
          return { getVideoTracks: () => [video], getAudioTracks: () => [audio] };
        },
      },
    },
  });
}
