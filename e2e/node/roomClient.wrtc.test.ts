/**
 * RoomClient with REAL media: two Node peers on the Node handler over
 * @roamhq/wrtc, joined through the real server (`startVideoRoomServer`,
 * mediasoup 3.8.4 worker on 127.0.0.1). One sends a synthetic camera
 * (`nonstandard.RTCVideoSource`); the other decodes its frames
 * (`RTCVideoSink`). Chat crosses real SCTP data channels both ways.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import wrtc from '@roamhq/wrtc';
import { Node } from '@vroom/client/handlers/Node';
import { RoomClient } from '@vroom/client/room';
import { WebSocket } from 'ws';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { eventually, waitForEvent } from '../support/roomEvents.js';
import { exitExplicitlyAfterWrtc } from '../support/wrtcExit.js';

const WIDTH = 640;
const HEIGHT = 480;

let server: VideoRoomServer;
const rooms: RoomClient[] = [];
const stoppables: { stop(): void }[] = [];
const timers: NodeJS.Timeout[] = [];

before(async () => {
  server = await startVideoRoomServer({
    host: '127.0.0.1',
    port: 0,
    sfu: { workers: 1, workerSettings: { rtcMinPort: 42000, rtcMaxPort: 42999 } },
  });
});

after(async () => {
  for (const timer of timers) clearInterval(timer);
  // libwebrtc's threads keep Node alive (or crash it at exit) until sinks and sources stop.
  for (const item of stoppables) item.stop();
  for (const room of rooms) await room.leave().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await server?.close();
});

// Registered after the cleanup hook above, so the explicit exit comes once cleanup is done.
exitExplicitlyAfterWrtc();

function nodeClient(displayName: string): RoomClient {
  const room = new RoomClient({
    url: `${server.url.replace('http', 'ws')}ws`,
    WebSocket,
    roomId: 'wrtc-room',
    displayName,
    device: { handlerFactory: Node.createFactory({ wrtc }) },
  });
  rooms.push(room);
  return room;
}

/** A grey picture every 33 ms, as a camera would deliver. */
function syntheticCamera(): MediaStreamTrack {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const frame = {
    width: WIDTH,
    height: HEIGHT,
    data: new Uint8Array(WIDTH * HEIGHT * 1.5).fill(128),
  };
  timers.push(setInterval(() => source.onFrame(frame), 33));
  const track = source.createTrack();
  stoppables.push(track);
  return track as unknown as MediaStreamTrack;
}

/** Counts decoded frames of a received track. */
function frameCounter(track: MediaStreamTrack): { count: () => number; size: () => string } {
  const sink = new wrtc.nonstandard.RTCVideoSink(track as never);
  stoppables.push(sink);
  let frames = 0;
  let size = '';
  sink.onframe = ({ frame }: { frame: { width: number; height: number } }) => {
    frames++;
    size = `${frame.width}x${frame.height}`;
  };
  return { count: () => frames, size: () => size };
}

describe('RoomClient with real media (Node handler over @roamhq/wrtc)', () => {
  let dave: RoomClient;
  let erin: RoomClient;
  let frames: { count: () => number; size: () => string };

  it("Erin decodes frames of Dave's camera", async () => {
    dave = nodeClient('Dave');
    erin = nodeClient('Erin');
    await dave.join();
    await erin.join();
    const arrived = waitForEvent(erin, 'trackadded', (e) => e.source === 'camera');
    await dave.enableCamera({ track: syntheticCamera() });
    const [event] = await arrived;
    assert.equal(event.peer.displayName, 'Dave');
    frames = frameCounter(event.track);
    await eventually(() => frames.count() >= 10, 'ten decoded frames at Erin');
    assert.match(frames.size(), /^\d+x\d+$/);
    // Transport stats: wrtc implements RTCPeerConnection.getStats() but not RTCRtpSender.getStats().
    const local = await dave.getStats({ transport: 'send' });
    let bytesSent = 0;
    local.forEach((report: { type: string; bytesSent?: number }) => {
      if (report.type === 'outbound-rtp') bytesSent += report.bytesSent ?? 0;
    });
    assert.ok(bytesSent > 0, 'the sender reports outbound RTP');
    assert.equal(dave.sendTransport?.connectionState, 'connected');
  });

  it('chat crosses real data channels both ways', async () => {
    const toErin = waitForEvent(erin, 'chat', (c) => c.text === 'hello Erin');
    await dave.sendChat('hello Erin');
    const [chat] = await toErin;
    assert.equal(chat.peer.displayName, 'Dave');
    assert.ok(Math.abs(chat.at - Date.now()) < 60_000, 'sent with the sender clock');

    // A new label: opened first, as the README advises, since a message that
    // reaches a receiver whose channel is still opening is lost.
    await erin.openDataChannel('game');
    await eventually(
      () =>
        dave
          .peer(erin.peerId ?? '')
          ?.dataConsumers.some((d) => d.label === 'game' && d.readyState === 'open') ?? false,
      "Dave's channel of Erin's game label is open",
    );
    const toDave = waitForEvent(dave, 'data', (d) => d.label === 'game');
    await erin.sendData('game', 'e2e4');
    const [data] = await toDave;
    assert.equal(data.peer.displayName, 'Erin');
    assert.equal(data.data, 'e2e4');
  });

  it('pausing the camera shows as paused at Erin; resuming brings frames back', async () => {
    const paused = waitForEvent(erin, 'trackpaused', (e) => e.source === 'camera');
    await dave.pauseCamera();
    await paused;
    const resumed = waitForEvent(erin, 'trackresumed', (e) => e.source === 'camera');
    await dave.resumeCamera();
    await resumed;
    const before = frames.count();
    await eventually(() => frames.count() >= before + 10, 'frames flow again after resume');
  });

  it('when Dave leaves, Erin sees him go and the server keeps nothing of him', async () => {
    const daveId = dave.peerId;
    const gone = waitForEvent(erin, 'peerleft', (p) => p.id === daveId);
    await dave.leave();
    await gone;
    assert.equal(erin.peers.length, 0);
    const view = server.sfu.room('wrtc-room');
    assert.equal(
      view?.peers.some((p) => p.id === daveId),
      false,
    );
    const dump = (await view?.router.dump()) as unknown as { transportIds: string[] };
    assert.equal(dump.transportIds.length, 2, "only Erin's two transports remain");
  });
});
