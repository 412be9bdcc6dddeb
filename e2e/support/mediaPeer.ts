// A real WebRTC peer in its own process, for tests that kill it or cut its
// signaling: @vroom/client's Device with the Node handler (@roamhq/wrtc)
// joins a room over a WebSocket and pings like the room client's heartbeat.
// (In a child process also because wrtc may crash its process at exit.)
//
//   node --import tsx e2e/support/mediaPeer.ts <ws-url> <room-id> [send|recv]
//
// send (default): produces synthetic VP8 video.
// recv: consumes what the others send.
// stdout: JSON lines; `{ "peerId", "transportId" }` once producing (send) or
//         once the first consumer is there (recv).
// stdin:  `drop-signaling` closes the WebSocket and stops pinging while the
//         media keeps flowing (a signaling outage with media intact);
//         `close-consumers` (recv) closes every consumer, leaving an idle
//         receive-only peer, and answers `{ "closed": n }`.
import { createInterface } from 'node:readline';
import wrtc from '@roamhq/wrtc';
import { Device } from '@vroom/client';
import { Node } from '@vroom/client/handlers/Node';
import type { RtpCapabilities } from '@vroom/client/types';
import { createClientEndpoint, PROTOCOL_VERSION } from '@vroom/protocol';
import { WebSocket } from 'ws';

const [url, roomId, mode = 'send'] = process.argv.slice(2);
if (!url || !roomId || (mode !== 'send' && mode !== 'recv')) {
  console.error('usage: mediaPeer.ts <ws-url> <room-id> [send|recv]');
  process.exit(2);
}

const WIDTH = 320;
const HEIGHT = 240;
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const socket = new WebSocket(url);
await new Promise((resolve, reject) => {
  socket.once('open', resolve);
  socket.once('error', reject);
});
const device = new Device({ handlerFactory: Node.createFactory({ wrtc }) });
let recvTransport: ReturnType<Device['createRecvTransport']> | undefined;
const consumers: { id: string; close(): void }[] = [];
let onFirstConsumer: (() => void) | undefined;
const endpoint = createClientEndpoint({
  send: (text) => socket.send(text),
  onRequest: async (request) => {
    if (request.method !== 'newConsumer' || !recvTransport) return {};
    const { id, producerId, kind, rtpParameters } = request.data;
    consumers.push(
      await recvTransport.consume({ id, producerId, kind, rtpParameters: rtpParameters as never }),
    );
    onFirstConsumer?.();
    return {};
  },
});
socket.on('message', (data) => endpoint.receive(String(data)));
const heartbeat = setInterval(() => void endpoint.request('ping', {}).catch(() => {}), 2000);

const joined = await endpoint.request('join', {
  protocolVersion: PROTOCOL_VERSION,
  roomId,
  displayName: `media-peer-${process.pid}`,
  device: { name: 'node-wrtc' },
  transports: mode === 'send' ? { send: {} } : { recv: {} },
});
await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as RtpCapabilities });

function connectOnDemand(transport: ReturnType<Device['createSendTransport']>): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    endpoint
      .request('connectWebRtcTransport', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as never,
      })
      .then(() => callback(), errback);
  });
}

if (mode === 'send') {
  const options = joined.sendTransport;
  if (!options) throw new Error('the join made no send transport');
  const transport = device.createSendTransport(options as never);
  connectOnDemand(transport);
  transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    endpoint
      .request('produce', {
        transportId: transport.id,
        kind,
        rtpParameters: rtpParameters as never,
      })
      .then(({ producerId }) => callback({ id: producerId }), errback);
  });
  const source = new wrtc.nonstandard.RTCVideoSource();
  const frame = { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT * 1.5) };
  setInterval(() => source.onFrame(frame), 33);
  await transport.produce({ track: source.createTrack() as unknown as MediaStreamTrack });
  print({ peerId: joined.peerId, transportId: transport.id });
} else {
  const options = joined.recvTransport;
  if (!options) throw new Error('the join made no recv transport');
  recvTransport = device.createRecvTransport(options as never);
  connectOnDemand(recvTransport);
  const first = new Promise<void>((resolve) => {
    onFirstConsumer = resolve;
  });
  await endpoint.request('setCapabilities', { rtpCapabilities: device.rtpCapabilities as never });
  await first;
  print({ peerId: joined.peerId, transportId: recvTransport.id });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'drop-signaling') {
    clearInterval(heartbeat);
    endpoint.close();
    socket.close();
  } else if (command === 'close-consumers') {
    void Promise.all(
      consumers.map(async (consumer) => {
        await endpoint.request('closeConsumer', { consumerId: consumer.id });
        consumer.close();
      }),
    ).then(() => print({ closed: consumers.length }));
  }
});
