import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createClientEndpoint, PROTOCOL_VERSION } from '../../packages/protocol/src/index.js';
import { firstFrame, syntheticTracks, wrtc } from './media.js';
import { CAPTURE_MS } from './roomPeer.js';

const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { WebSocket } = require('ws') as typeof import('ws');
const mediasoupClient = require('mediasoup-client') as typeof import('mediasoup-client');

// mediasoup-client 3.24.1 has no Node handler: its Chrome111 handler runs on
// wrtc's classes once they are globals (checked: load, produce, consume).
Object.assign(globalThis, {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate,
  MediaStream: wrtc.MediaStream,
  MediaStreamTrack: wrtc.MediaStreamTrack,
});

type Caps = Parameters<
  InstanceType<typeof mediasoupClient.Device>['load']
>[0]['routerRtpCapabilities'];

/**
 * The anchor of issue 13: the same two-peer flow as mediasoup-client apps
 * write it (the mediasoup demo's order), on our server and protocol, every
 * request awaited before the next: join (router capabilities), load,
 * create the send and the receive transport, setCapabilities (the server
 * then pushes consumers), capture, produce camera (connect first) and
 * microphone; a pushed consumer is consumed (connecting the receive
 * transport first) before it is answered.
 */
export async function anchorPeer(
  url: string,
  roomId: string,
  name: string,
  onVideo: (at: Promise<number>) => void,
) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let recvReady: (transport: import('mediasoup-client').types.Transport) => void = () => undefined;
  const recvTransport = new Promise<import('mediasoup-client').types.Transport>((resolve) => {
    recvReady = resolve;
  });
  const endpoint = createClientEndpoint({
    send: (text) => socket.send(text),
    onRequest: async (request) => {
      if (request.method !== 'newConsumer') return {};
      const { id, producerId, kind, rtpParameters } = request.data;
      const transport = await recvTransport;
      const consumer = await transport.consume({
        id,
        producerId,
        kind,
        rtpParameters: rtpParameters as never,
      });
      if (kind === 'video') onVideo(firstFrame(consumer.track));
      return {};
    },
  });
  socket.on('message', (raw) => endpoint.receive(String(raw)));
  const { routerRtpCapabilities } = await endpoint.request('join', {
    protocolVersion: PROTOCOL_VERSION,
    roomId,
    displayName: name,
    device: { name: 'mediasoup-client' },
  });
  const device = new mediasoupClient.Device({ handlerName: 'Chrome111' });
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as Caps });
  const sendOptions = await endpoint.request('createWebRtcTransport', { direction: 'send' });
  const send = device.createSendTransport(sendOptions as never);
  const recvOptions = await endpoint.request('createWebRtcTransport', { direction: 'recv' });
  const recv = device.createRecvTransport(recvOptions as never);
  for (const transport of [send, recv]) {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      endpoint
        .request('connectWebRtcTransport', {
          transportId: transport.id,
          dtlsParameters: dtlsParameters as never,
        })
        .then(() => callback(), errback);
    });
  }
  send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    endpoint
      .request('produce', {
        transportId: send.id,
        kind,
        rtpParameters: rtpParameters as never,
        appData: appData as never,
      })
      .then(({ producerId }) => callback({ id: producerId }), errback);
  });
  recvReady(recv);
  await endpoint.request('setCapabilities', { rtpCapabilities: device.rtpCapabilities as never });
  await new Promise((resolve) => setTimeout(resolve, CAPTURE_MS));
  const { video, audio } = syntheticTracks();
  await send.produce({ track: video, stopTracks: false, appData: { source: 'camera' } });
  const cameraConfirmedAt = performance.now();
  await send.produce({ track: audio, stopTracks: false, appData: { source: 'microphone' } });
  return {
    cameraConfirmedAt,
    close: async () => {
      await endpoint.request('leave', {}).catch(() => undefined);
      send.close();
      recv.close();
      socket.close();
    },
  };
}
