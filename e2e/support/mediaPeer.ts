// A real WebRTC peer in its own process, for tests that kill it or cut its
// signaling: @vroom/client's Device with the Node handler (@roamhq/wrtc)
// joins a room over a WebSocket, produces synthetic VP8 video and pings like
// the room client's heartbeat.
//
//   node --import tsx e2e/support/mediaPeer.ts <ws-url> <room-id>
//
// stdout: one JSON line `{ "peerId": ... }` once the producer exists.
// stdin:  `drop-signaling` closes the WebSocket and stops pinging while the
//         video keeps flowing (a signaling outage with media intact).
import { createInterface } from 'node:readline';
import wrtc from '@roamhq/wrtc';
import { Device } from '@vroom/client';
import { Node } from '@vroom/client/handlers/Node';
import type { RtpCapabilities } from '@vroom/client/types';
import { createClientEndpoint, PROTOCOL_VERSION } from '@vroom/protocol';
import { WebSocket } from 'ws';

const [url, roomId] = process.argv.slice(2);
if (!url || !roomId) {
  console.error('usage: mediaPeer.ts <ws-url> <room-id>');
  process.exit(2);
}

const WIDTH = 320;
const HEIGHT = 240;

const socket = new WebSocket(url);
await new Promise((resolve, reject) => {
  socket.once('open', resolve);
  socket.once('error', reject);
});
const endpoint = createClientEndpoint({
  send: (text) => socket.send(text),
  onRequest: async () => ({}),
});
socket.on('message', (data) => endpoint.receive(String(data)));
const heartbeat = setInterval(() => void endpoint.request('ping', {}).catch(() => {}), 2000);

const joined = await endpoint.request('join', {
  protocolVersion: PROTOCOL_VERSION,
  roomId,
  displayName: `media-peer-${process.pid}`,
  device: { name: 'node-wrtc' },
  transports: { send: {} },
});
const device = new Device({ handlerFactory: Node.createFactory({ wrtc }) });
await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as RtpCapabilities });
const sendOptions = joined.sendTransport;
if (!sendOptions) throw new Error('the join made no send transport');
const transport = device.createSendTransport(sendOptions as never);
transport.on('connect', ({ dtlsParameters }, callback, errback) => {
  endpoint
    .request('connectWebRtcTransport', {
      transportId: transport.id,
      dtlsParameters: dtlsParameters as never,
    })
    .then(() => callback(), errback);
});
transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
  endpoint
    .request('produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as never })
    .then(({ producerId }) => callback({ id: producerId }), errback);
});

const source = new wrtc.nonstandard.RTCVideoSource();
const frame = {
  width: WIDTH,
  height: HEIGHT,
  data: new Uint8Array(WIDTH * HEIGHT * 1.5).fill(128),
};
setInterval(() => source.onFrame(frame), 33);
await transport.produce({ track: source.createTrack() as unknown as MediaStreamTrack });
process.stdout.write(`${JSON.stringify({ peerId: joined.peerId })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'drop-signaling') return;
  clearInterval(heartbeat);
  endpoint.close();
  socket.close();
});
