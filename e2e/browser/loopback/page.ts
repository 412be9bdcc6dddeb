// The loopback test page: one page, two protocol sessions to the real server.
// The "sender" session produces; the server pushes consumers of those
// producers to the "receiver" session, so everything sent comes back through
// the SFU. Specs drive it through `window.loopback` (see api.ts).
import { Device, type types } from '@vroom/client';
import { type ClientRequests, PROTOCOL_VERSION, type ResponseData } from '@vroom/protocol';
import { Device as MediasoupClientDevice } from 'mediasoup-client';
import type {
  LoopbackApi,
  ParityResult,
  ProduceSpec,
  ReceivedStat,
  Sdk,
  StartOptions,
} from './api.js';
import { openSignaling, type Signaling } from './signaling.js';

type Joined = ResponseData<ClientRequests, 'join'>;

async function join(signaling: Signaling, room: string, name: string): Promise<Joined> {
  return signaling.endpoint.request('join', {
    protocolVersion: PROTOCOL_VERSION,
    roomId: room,
    displayName: name,
    device: { name: 'loopback-page' },
    transports: { send: { sctp: true }, recv: { sctp: true } },
  });
}

/** Connect and produce go to the server, like an application's signaling would. */
function wireSendTransport(transport: types.Transport, signaling: Signaling): void {
  const { endpoint } = signaling;
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
  transport.on(
    'producedata',
    ({ sctpStreamParameters, label, protocol, appData }, callback, errback) => {
      endpoint
        .request('produceData', {
          transportId: transport.id,
          // The client's type leaves streamId optional; the SDK always sets it here.
          sctpStreamParameters: sctpStreamParameters as { streamId: number },
          label,
          protocol,
          appData,
        })
        .then(({ dataProducerId }) => callback({ id: dataProducerId }), errback);
    },
  );
}

function wireRecvTransport(transport: types.Transport, signaling: Signaling): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signaling.endpoint
      .request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters })
      .then(() => callback(), errback);
  });
}

function pickCodec(
  capabilities: types.RtpCapabilities,
  mimeType: string | undefined,
): types.RtpCodecCapability | undefined {
  if (!mimeType) return undefined;
  const codec = capabilities.codecs?.find(
    (c) => c.mimeType.toLowerCase() === mimeType.toLowerCase(),
  );
  if (!codec) throw new Error(`the device cannot send ${mimeType}`);
  return codec;
}

let camera: MediaStreamTrack | undefined;
let microphone: MediaStreamTrack | undefined;
let cameraSize: StartOptions = { width: 640, height: 360 };

async function captureCamera(
  size: { width: number; height: number } = cameraSize,
): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: size.width, height: size.height, frameRate: 30 },
  });
  return stream.getVideoTracks()[0]!;
}

async function sourceTrack(kind: 'audio' | 'video'): Promise<MediaStreamTrack> {
  if (kind === 'audio') {
    microphone ??= (
      await navigator.mediaDevices.getUserMedia({ audio: true })
    ).getAudioTracks()[0]!;
    return microphone.clone();
  }
  camera ??= await captureCamera();
  return camera.clone();
}

// The loopback state of the page.
let sender: { device: Device; transport: types.Transport; signaling: Signaling } | undefined;
const producers = new Map<string, types.Producer>();
const dataProducers = new Map<string, types.DataProducer>();
const consumers = new Map<string, types.Consumer>();
const dataConsumers = new Map<string, { consumer: types.DataConsumer; received: string[] }>();

function producer(label: string): types.Producer {
  const found = producers.get(label);
  if (!found) throw new Error(`no producer labelled ${label}`);
  return found;
}

async function startReceiver(room: string): Promise<void> {
  let transport: types.Transport | undefined;
  const signaling = await openSignaling({
    async newConsumer({ id, producerId, kind, rtpParameters, appData }) {
      if (!transport) throw new Error('no receive transport yet');
      const consumer = await transport.consume({ id, producerId, kind, rtpParameters, appData });
      consumers.set(consumer.id, consumer);
    },
    async newDataConsumer({ id, dataProducerId, sctpStreamParameters, label, protocol, appData }) {
      if (!transport) throw new Error('no receive transport yet');
      const consumer = await transport.consumeData({
        id,
        dataProducerId,
        sctpStreamParameters: sctpStreamParameters as types.SctpStreamParameters,
        label,
        protocol,
        appData,
      });
      const entry = { consumer, received: [] as string[] };
      consumer.on('message', (message: unknown) => entry.received.push(String(message)));
      dataConsumers.set(label, entry);
    },
  });
  const joined = await join(signaling, room, 'receiver');
  const device = new Device();
  await device.load({
    routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities,
  });
  if (!joined.recvTransport) throw new Error('the server sent no receive transport');
  transport = device.createRecvTransport(joined.recvTransport as types.TransportOptions);
  wireRecvTransport(transport, signaling);
  await signaling.endpoint.request('setCapabilities', {
    rtpCapabilities: device.rtpCapabilities,
    sctpCapabilities: device.sctpCapabilities,
  });
}

async function startSender(room: string): Promise<void> {
  const signaling = await openSignaling();
  const joined = await join(signaling, room, 'sender');
  const device = new Device();
  await device.load({
    routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities,
  });
  if (!joined.sendTransport) throw new Error('the server sent no send transport');
  const transport = device.createSendTransport(joined.sendTransport as types.TransportOptions);
  wireSendTransport(transport, signaling);
  sender = { device, transport, signaling };
}

async function produceOne(
  device: Device,
  transport: types.Transport,
  spec: ProduceSpec,
): Promise<types.Producer> {
  const codec = pickCodec(device.rtpCapabilities, spec.codecMimeType);
  return transport.produce({
    track: await sourceTrack(spec.kind),
    ...(spec.encodings ? { encodings: spec.encodings as types.RtpEncodingParameters[] } : {}),
    ...(codec ? { codec } : {}),
    ...(spec.codecOptions ? { codecOptions: spec.codecOptions } : {}),
    appData: { label: spec.label },
  });
}

function signal(
  method: 'pauseProducer' | 'resumeProducer' | 'closeProducer',
  data: { producerId: string },
): Promise<unknown> {
  if (!sender) throw new Error('call start() first');
  return sender.signaling.endpoint.request(method, data);
}

function inboundRtp(report: RTCStatsReport): Record<string, number> | undefined {
  for (const stat of report.values() as IterableIterator<Record<string, unknown>>) {
    if (stat.type === 'inbound-rtp') return stat as Record<string, number>;
  }
  return undefined;
}

/** Calls the same Device API on either SDK: both are used only through what they share. */
interface SdkDevice {
  handlerName: string;
  rtpCapabilities: types.RtpCapabilities;
  load(options: { routerRtpCapabilities: types.RtpCapabilities }): Promise<void>;
  createSendTransport(options: types.TransportOptions): types.Transport;
}

async function parity(sdk: Sdk, room: string, cases: ProduceSpec[]): Promise<ParityResult> {
  const signaling = await openSignaling();
  try {
    const joined = await join(signaling, room, sdk);
    // mediasoup-client's classes are structurally the same API; the cast only
    // lets one code path drive both.
    const device: SdkDevice =
      sdk === 'vroom' ? new Device() : (new MediasoupClientDevice() as unknown as SdkDevice);
    await device.load({
      routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities,
    });
    if (!joined.sendTransport) throw new Error('the server sent no send transport');
    const transport = device.createSendTransport(joined.sendTransport as types.TransportOptions);
    wireSendTransport(transport, signaling);
    const produced: ParityResult['producers'] = [];
    for (const spec of cases) {
      const made = await produceOne(device as unknown as Device, transport, spec);
      produced.push({
        label: spec.label,
        rtpParameters: JSON.parse(JSON.stringify(made.rtpParameters)),
      });
    }
    transport.close();
    await signaling.endpoint.request('leave', {});
    return { handlerName: device.handlerName, producers: produced };
  } finally {
    signaling.close();
  }
}

const api: LoopbackApi = {
  handlerName: () => new Device().handlerName ?? 'none',
  senderScalabilityModes(mimeType) {
    const codecs = (RTCRtpSender.getCapabilities('video')?.codecs ?? []) as (RTCRtpCodec & {
      scalabilityModes?: string[];
    })[];
    const modes = codecs
      .filter((codec) => codec.mimeType.toLowerCase() === mimeType.toLowerCase())
      .flatMap((codec) => codec.scalabilityModes ?? []);
    return [...new Set(modes)];
  },
  senderVideoCodecs: () =>
    (RTCRtpSender.getCapabilities('video')?.codecs ?? []).map((codec) => codec.mimeType),
  async start(room, options) {
    cameraSize = options;
    await startReceiver(room);
    await startSender(room);
  },
  async produce(specs) {
    if (!sender) throw new Error('call start() first');
    const { device, transport } = sender;
    const made = await Promise.all(specs.map((spec) => produceOne(device, transport, spec)));
    const ids: Record<string, string> = {};
    specs.forEach((spec, i) => {
      producers.set(spec.label, made[i]!);
      ids[spec.label] = made[i]!.id;
    });
    return ids;
  },
  async produceData(label) {
    if (!sender) throw new Error('call start() first');
    const dataProducer = await sender.transport.produceData({ label, appData: { label } });
    dataProducers.set(label, dataProducer);
    return dataProducer.id;
  },
  async receivedStats() {
    const stats: ReceivedStat[] = [];
    for (const consumer of consumers.values()) {
      if (consumer.closed) continue;
      const inbound = inboundRtp(await consumer.getStats());
      stats.push({
        label: String(consumer.appData.label),
        kind: consumer.kind,
        consumerId: consumer.id,
        producerId: consumer.producerId,
        framesDecoded: inbound?.framesDecoded ?? 0,
        packetsReceived: inbound?.packetsReceived ?? 0,
        frameWidth: inbound?.frameWidth ?? 0,
      });
    }
    return stats;
  },
  dataConsumerOpen: (label) => dataConsumers.get(label)?.consumer.readyState === 'open',
  sendData(label, count) {
    const dataProducer = dataProducers.get(label);
    if (!dataProducer) throw new Error(`no data producer labelled ${label}`);
    for (let i = 0; i < count; i++) dataProducer.send(`${label} #${i}`);
  },
  dataReceived: (label) => [...(dataConsumers.get(label)?.received ?? [])],
  // As in an application: the SDK changes the sender, the app tells the server.
  async pause(label) {
    producer(label).pause();
    await signal('pauseProducer', { producerId: producer(label).id });
  },
  async resume(label) {
    producer(label).resume();
    await signal('resumeProducer', { producerId: producer(label).id });
  },
  async close(label) {
    const closing = producer(label);
    closing.close();
    producers.delete(label);
    await signal('closeProducer', { producerId: closing.id });
  },
  async replaceTrack(label, to) {
    const track = to === 'none' ? null : await captureCamera(to);
    await producer(label).replaceTrack({ track });
    return track?.id ?? null;
  },
  setMaxSpatialLayer: (label, layer) => producer(label).setMaxSpatialLayer(layer),
  producerTrackId: (label) => producer(label).track?.id ?? null,
  parity,
};

window.loopback = api;
document.body.dataset.ready = 'true';
