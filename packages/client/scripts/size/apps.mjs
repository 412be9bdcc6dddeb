// The apps the bundle-size budgets measure, as source text for esbuild.

/**
 * A typical mediasoup-client app: load the device, one send and one recv
 * transport, produce camera and microphone, consume a remote producer, pause
 * and close. Built once against @vroom/client and once against
 * mediasoup-client 3.24.1.
 */
export const deviceApp = (specifier) => `
import { Device } from '${specifier}';

export async function join(signal) {
  const device = new Device();
  await device.load({ routerRtpCapabilities: await signal('getRouterRtpCapabilities') });
  const send = device.createSendTransport(await signal('createWebRtcTransport', { direction: 'send' }));
  send.on('connect', ({ dtlsParameters }, callback, errback) =>
    signal('connectWebRtcTransport', { transportId: send.id, dtlsParameters }).then(callback, errback));
  send.on('produce', (parameters, callback, errback) =>
    signal('produce', { transportId: send.id, ...parameters }).then(callback, errback));
  send.on('connectionstatechange', (state) => console.log('send transport', state));
  const recv = device.createRecvTransport(await signal('createWebRtcTransport', { direction: 'recv' }));
  recv.on('connect', ({ dtlsParameters }, callback, errback) =>
    signal('connectWebRtcTransport', { transportId: recv.id, dtlsParameters }).then(callback, errback));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const [audio, video] = await Promise.all([
    send.produce({ track: stream.getAudioTracks()[0] }),
    send.produce({
      track: stream.getVideoTracks()[0],
      encodings: [{ maxBitrate: 100000 }, { maxBitrate: 300000 }, { maxBitrate: 900000 }],
      codecOptions: { videoGoogleStartBitrate: 1000 },
    }),
  ]);
  const consumer = await recv.consume(await signal('consume', { rtpCapabilities: device.recvRtpCapabilities }));
  video.on('trackended', () => video.close());
  consumer.pause();
  consumer.resume();
  return { device, send, recv, audio, video, consumer, stream: new MediaStream([consumer.track]) };
}
`;

/**
 * A typical RoomClient app (the example room's page, without its UI): join,
 * camera and microphone, show remote tracks, chat, leave. No
 * mediasoup-client counterpart: its budget is relative to the Device app
 * baseline above.
 */
export const roomApp = (specifier) => `
import { RoomClient } from '${specifier}';

export async function enter(url, roomId, displayName, show) {
  const room = new RoomClient({ url, roomId, displayName });
  room.on('trackadded', ({ peer, track }) => show(peer.displayName, track));
  room.on('trackremoved', ({ track }) => show(undefined, track));
  room.on('chat', ({ peer, text }) => console.log(peer.displayName, text));
  room.on('reconnecting', () => console.log('reconnecting'));
  await room.join();
  await room.enableCameraAndMicrophone();
  await room.sendChat('hello');
  return () => room.leave();
}
`;
