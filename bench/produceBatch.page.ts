// The produce benchmark's page: joins the bench server over @vroom/protocol
// and times N produce() calls of video tracks with one SDK, batched (all in one
// task) or one by one. Bundled by esbuild with both SDKs when the bench starts.
import { Device, type types } from '@vroom/client';
import { createClientEndpoint, PROTOCOL_VERSION } from '@vroom/protocol';
import { Device as MediasoupClientDevice } from 'mediasoup-client';

export type Mode = 'vroom-batched' | 'vroom-one-by-one' | 'mediasoup-client-batched';

export interface TrialResult {
  mode: Mode;
  ms: number;
  producers: number;
  handlerName: string;
  /** setLocalDescription() calls during the timed part: one per renegotiation. */
  renegotiations: number;
}

/** The structural subset of Device both SDKs share; the cast below only lets one path drive both. */
interface SdkDevice {
  handlerName: string;
  load(options: { routerRtpCapabilities: types.RtpCapabilities }): Promise<void>;
  createSendTransport(options: types.TransportOptions): types.Transport;
}

// Counts renegotiations: every SDK's offer/answer round sets the local description once.
let renegotiations = 0;
const setLocalDescription = RTCPeerConnection.prototype.setLocalDescription;
RTCPeerConnection.prototype.setLocalDescription = function (
  this: RTCPeerConnection,
  ...args: Parameters<typeof setLocalDescription>
) {
  renegotiations++;
  return setLocalDescription.apply(this, args);
} as typeof setLocalDescription;

// One canvas source per kind, cloned per producer: N distinct tracks without
// N cameras. A moving canvas makes every producer encode (like cameras); a
// still one sends almost no frames, which isolates the signaling and SDP cost.
const sources = new Map<boolean, MediaStreamTrack>();
function videoSource(still: boolean): MediaStreamTrack {
  const cached = sources.get(still);
  if (cached) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const paint = () => {
    context.fillStyle = `hsl(${(frame++ * 7) % 360} 70% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  paint();
  if (!still) setInterval(paint, 33);
  const track = canvas.captureStream(30).getVideoTracks()[0]!;
  sources.set(still, track);
  return track;
}

async function openSession() {
  const socket = new WebSocket(`ws://${location.host}/ws`);
  const endpoint = createClientEndpoint({
    send: (text) => socket.send(text),
    onRequest: async () => ({}),
  });
  socket.onmessage = (event) => endpoint.receive(event.data as string);
  socket.onclose = () => endpoint.close();
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('bench WebSocket failed'));
  });
  return { endpoint, socket };
}

async function trial(
  mode: Mode,
  room: string,
  count: number,
  still: boolean,
): Promise<TrialResult> {
  const { endpoint, socket } = await openSession();
  try {
    const joined = await endpoint.request('join', {
      protocolVersion: PROTOCOL_VERSION,
      roomId: room,
      displayName: mode,
      device: { name: 'produce-bench' },
      transports: { send: { sctp: false } },
    });
    const device: SdkDevice =
      mode === 'mediasoup-client-batched'
        ? (new MediasoupClientDevice() as unknown as SdkDevice)
        : new Device();
    await device.load({
      routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities,
    });
    if (!joined.sendTransport) throw new Error('the server sent no send transport');
    const transport = device.createSendTransport(joined.sendTransport as types.TransportOptions);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      endpoint
        .request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters })
        .then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      endpoint
        .request('produce', { transportId: transport.id, kind, rtpParameters, appData })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    // Tracks are made before the clock starts: only produce() is timed.
    const tracks = Array.from({ length: count }, () => videoSource(still).clone());
    renegotiations = 0;
    const started = performance.now();
    let producers: types.Producer[];
    if (mode === 'vroom-one-by-one') {
      producers = [];
      for (const track of tracks) producers.push(await transport.produce({ track }));
    } else {
      producers = await Promise.all(tracks.map((track) => transport.produce({ track })));
    }
    const ms = performance.now() - started;
    const counted = renegotiations;
    transport.close();
    for (const track of tracks) track.stop();
    await endpoint.request('leave', {});
    return {
      mode,
      ms,
      producers: producers.length,
      handlerName: device.handlerName,
      renegotiations: counted,
    };
  } finally {
    socket.close();
  }
}

declare global {
  interface Window {
    produceBench: { trial: typeof trial };
  }
}

window.produceBench = { trial };
document.body.dataset.ready = 'true';
