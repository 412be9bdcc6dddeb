// The browser app every bundler builds (Vite, webpack 5, esbuild), from the
// packed @vroom/client: join the room, show the Node bot's video, send the
// fake camera back. What happened is left on window.consumerResult for the test.
import { Device, detectDevice, version } from '@vroom/client';
import { RoomClient } from '@vroom/client/room';

const result = { done: false, version, detected: detectDevice() ?? null };
window.consumerResult = result;

function firstDecodedFrame(track) {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  return new Promise((resolve, reject) => {
    video.requestVideoFrameCallback((_now, frame) =>
      resolve({ width: frame.width, height: frame.height }),
    );
    video.play().catch(reject);
  });
}

async function run() {
  const name = new URLSearchParams(location.search).get('name') ?? 'page';
  const room = new RoomClient({
    url: `ws://${location.host}/ws`,
    roomId: 'consumers',
    displayName: name,
  });
  const botVideo = new Promise((resolve) => {
    room.on('trackadded', ({ peer, track }) => {
      if (peer.displayName === 'bot' && track.kind === 'video') resolve(track);
    });
  });
  await room.join();
  result.handlerName = room.device?.handlerName;
  // One Device class across entry points: the room's device is the main entry's.
  result.sameDeviceClass = room.device instanceof Device;
  await room.enableCamera({ simulcast: false });
  result.frame = await firstDecodedFrame(await botVideo);
  result.done = true;
}

run().catch((error) => {
  result.error = String(error?.stack ?? error);
});
