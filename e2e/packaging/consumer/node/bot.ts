// A Node peer on the packed client's Node handler over @roamhq/wrtc: it sends
// a synthetic moving picture and reports each page whose video it decodes.
import wrtc from '@roamhq/wrtc';
import { Node } from '@vroom/client/handlers/Node';
import { RoomClient } from '@vroom/client/room';
import { WebSocket } from 'ws';

const WIDTH = 320;
const HEIGHT = 240;

function startCamera(): { track: MediaStreamTrack; stop: () => void } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const data = new Uint8Array((WIDTH * HEIGHT * 3) / 2);
  let n = 0;
  const timer = setInterval(() => {
    data.fill((n++ * 8) % 256, 0, WIDTH * HEIGHT);
    data.fill(128, WIDTH * HEIGHT);
    source.onFrame({ width: WIDTH, height: HEIGHT, data });
  }, 66);
  const track = source.createTrack();
  return { track, stop: () => clearInterval(timer) };
}

export async function startBot(url: string, report: (line: string) => void): Promise<RoomClient> {
  const room = new RoomClient({
    url,
    WebSocket,
    roomId: 'consumers',
    displayName: 'bot',
    device: { handlerFactory: Node.createFactory({ wrtc }) },
  });
  room.on('trackadded', ({ peer, track }) => {
    if (track.kind !== 'video') return;
    const sink = new wrtc.nonstandard.RTCVideoSink(track);
    sink.onframe = ({ frame }: { frame: { width: number; height: number } }) => {
      sink.stop();
      report(`bot decoded ${peer.displayName} ${frame.width}x${frame.height}`);
    };
  });
  await room.join();
  await room.enableCamera({ track: startCamera().track, simulcast: false });
  return room;
}
