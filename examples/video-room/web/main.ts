// A minimal room page: joins ?room=NAME, sends camera and microphone, shows
// everyone. It speaks @vroom/protocol directly over a WebSocket; the full
// room client (and this app built on it) replaces this flow later.
import { Device, type types } from '@vroom/client';
import { createClientEndpoint, PROTOCOL_VERSION } from '@vroom/protocol';

const params = new URLSearchParams(location.search);
const roomId = params.get('room') || 'lobby';
const displayName = params.get('name') || `guest-${Math.floor(Math.random() * 1000)}`;
const grid = document.querySelector<HTMLElement>('#grid')!;
const statusLine = document.querySelector<HTMLElement>('#status')!;
const leaveButton = document.querySelector<HTMLButtonElement>('#leave')!;
document.querySelector<HTMLElement>('#room')!.textContent = `room ${roomId} · ${displayName}`;

const names = new Map<string, string>();
const tiles = new Map<string, { figure: HTMLElement; stream: MediaStream }>();

function tile(peerId: string): MediaStream {
  let entry = tiles.get(peerId);
  if (!entry) {
    const figure = document.createElement('figure');
    figure.dataset.peerId = peerId;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = peerId === 'me';
    const stream = new MediaStream();
    video.srcObject = stream;
    const caption = document.createElement('figcaption');
    caption.textContent = peerId === 'me' ? `${displayName} (you)` : (names.get(peerId) ?? peerId);
    figure.append(video, caption);
    grid.append(figure);
    entry = { figure, stream };
    tiles.set(peerId, entry);
  }
  return entry.stream;
}

function removeTile(peerId: string): void {
  tiles.get(peerId)?.figure.remove();
  tiles.delete(peerId);
}

const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
const consumers = new Map<string, types.Consumer>();
let recvTransport: types.Transport | undefined;

const signaling = createClientEndpoint({
  send: (text) => socket.send(text),
  async onRequest(request) {
    if (request.method === 'newConsumer') {
      if (!recvTransport) throw new Error('no receive transport yet');
      const { id, producerId, kind, rtpParameters, appData, peerId } = request.data;
      const consumer = await recvTransport.consume({ id, producerId, kind, rtpParameters, appData });
      consumers.set(consumer.id, consumer);
      tile(peerId).addTrack(consumer.track);
      consumer.observer.on('close', () => tiles.get(peerId)?.stream.removeTrack(consumer.track));
      return {};
    }
    // This page does not receive data channels yet.
    return {};
  },
  onNotification(notification) {
    switch (notification.method) {
      case 'peerJoined':
        names.set(notification.data.peerId, notification.data.displayName);
        break;
      case 'peerLeft':
        removeTile(notification.data.peerId);
        break;
      case 'consumerClosed':
        consumers.get(notification.data.consumerId)?.close();
        consumers.delete(notification.data.consumerId);
        break;
    }
  },
});
socket.onmessage = (event) => signaling.receive(event.data as string);
socket.onclose = () => {
  signaling.close();
  statusLine.textContent = 'disconnected';
};

function wireTransport(transport: types.Transport): void {
  // Sent without waiting: the server handles one peer's requests in order, so
  // the produce requests behind it never overtake it.
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signaling.request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters }).catch(errback);
    callback();
  });
  transport.on('connectionstatechange', (state) => {
    statusLine.textContent = `${transport.direction} ${state}`;
  });
}

async function join(): Promise<void> {
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const device = new Device();
  const joined = await signaling.request('join', {
    protocolVersion: PROTOCOL_VERSION,
    roomId,
    displayName,
    device: { name: device.handlerName ?? 'browser' },
    transports: { send: {}, recv: {} },
  });
  for (const peer of joined.peers) names.set(peer.peerId, peer.displayName);
  await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
  if (!joined.sendTransport || !joined.recvTransport) throw new Error('server sent no transports');

  recvTransport = device.createRecvTransport(joined.recvTransport as types.TransportOptions);
  wireTransport(recvTransport);
  void signaling.request('setCapabilities', { rtpCapabilities: device.rtpCapabilities });

  const sendTransport = device.createSendTransport(joined.sendTransport as types.TransportOptions);
  wireTransport(sendTransport);
  sendTransport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    signaling
      .request('produce', { transportId: sendTransport.id, kind, rtpParameters, appData })
      .then(({ producerId }) => callback({ id: producerId }), errback);
  });

  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  const mine = tile('me');
  for (const track of media.getTracks()) mine.addTrack(track);
  // Both tracks in one task: one SDP renegotiation for the two producers.
  await Promise.all(media.getTracks().map((track) => sendTransport.produce({ track })));

  statusLine.textContent = 'joined';
  leaveButton.disabled = false;
  leaveButton.onclick = () => {
    void signaling.request('leave', {}).finally(() => socket.close());
    for (const track of media.getTracks()) track.stop();
    grid.replaceChildren();
  };
}

join().catch((error: unknown) => {
  statusLine.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
});
