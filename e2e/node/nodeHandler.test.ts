/**
 * The Node handler against the REAL mediasoup 3.8.4 worker: a Node peer
 * (@roamhq/wrtc) produces synthetic VP8 video and Opus audio to a router
 * listening on 127.0.0.1, consumes both back on a second transport and
 * receives decoded video frames and audio samples. The handler is driven
 * directly through the HandlerInterface (no Device/Transport): what
 * Transport would send over signalling is passed to mediasoup by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import wrtc from '@roamhq/wrtc';
import type { HandlerInterface } from '@vroom/client/handlers/HandlerInterface';
import { Node } from '@vroom/client/handlers/Node';
import {
  getExtendedRtpCapabilities,
  getRecvRtpCapabilities,
  validateAndNormalizeRtpCapabilities,
} from '@vroom/client/ortc';
import type { RtpCapabilities } from '@vroom/client/types';
import * as mediasoup from 'mediasoup';
import { exitExplicitlyAfterWrtc } from '../support/wrtcExit.js';

exitExplicitlyAfterWrtc();

type MsRouter = Awaited<
  ReturnType<Awaited<ReturnType<typeof mediasoup.createWorker>>['createRouter']>
>;
type MsTransport = Awaited<ReturnType<MsRouter['createWebRtcTransport']>>;

const WIDTH = 320;
const HEIGHT = 240;

describe('Node handler <-> mediasoup 3.8.4 worker', () => {
  let worker: Awaited<ReturnType<typeof mediasoup.createWorker>>;
  let router: MsRouter;
  const timers: NodeJS.Timeout[] = [];
  const handlers: HandlerInterface[] = [];

  before(async () => {
    worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: 40000,
      rtcMaxPort: 40100,
    });
    router = await worker.createRouter({
      mediaCodecs: [
        { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
        { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
      ],
    });
  });

  const tracks: Array<{ stop(): void }> = [];
  const own = <T extends { stop(): void }>(track: T): T => {
    tracks.push(track);
    return track;
  };

  after(async () => {
    for (const timer of timers) clearInterval(timer);
    for (const handler of handlers) handler.close();
    // libwebrtc's threads keep Node alive until every source track stops.
    for (const track of tracks) track.stop();
    worker?.close();
  });

  async function handlerFor(
    direction: 'send' | 'recv',
    transport: MsTransport,
    routerCaps: RtpCapabilities,
  ) {
    const factory = Node.createFactory({ wrtc });
    const handler = factory.factory({
      direction,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates as never,
      dtlsParameters: transport.dtlsParameters as never,
      getSendExtendedRtpCapabilities: (native) =>
        getExtendedRtpCapabilities(native, routerCaps, false),
    });
    // What Transport does on '@connect': pass our DTLS parameters to the server.
    handler.on('@connect', ({ dtlsParameters }, callback, errback) => {
      transport.connect({ dtlsParameters: dtlsParameters as never }).then(callback, errback);
    });
    handlers.push(handler);
    return handler;
  }

  it('produces VP8 + Opus, consumes them back and decodes frames', async () => {
    const routerCaps = structuredClone(router.rtpCapabilities) as RtpCapabilities;
    validateAndNormalizeRtpCapabilities(routerCaps);
    const factory = Node.createFactory({ wrtc });
    const nativeRecv = await factory.getNativeRtpCapabilities({ direction: 'recvonly' });
    const recvCaps = getRecvRtpCapabilities(
      getExtendedRtpCapabilities(nativeRecv, routerCaps, false),
    );

    const listenIps = [{ ip: '127.0.0.1' }];
    const sendTransport = await router.createWebRtcTransport({ listenIps, enableUdp: true });
    const recvTransport = await router.createWebRtcTransport({ listenIps, enableUdp: true });
    const sender = await handlerFor('send', sendTransport, routerCaps);
    const receiver = await handlerFor('recv', recvTransport, routerCaps);

    // Synthetic sources: a grey I420 picture every 33 ms, 10 ms of silence-ish tone every 10 ms.
    const videoSource = new wrtc.nonstandard.RTCVideoSource();
    const audioSource = new wrtc.nonstandard.RTCAudioSource();
    const frame = {
      width: WIDTH,
      height: HEIGHT,
      data: new Uint8Array(WIDTH * HEIGHT * 1.5).fill(128),
    };
    const samples = new Int16Array(480).map((_, i) => Math.round(3000 * Math.sin(i / 10)));
    timers.push(setInterval(() => videoSource.onFrame(frame), 33));
    timers.push(
      setInterval(
        () =>
          audioSource.onData({
            samples,
            sampleRate: 48000,
            bitsPerSample: 16,
            channelCount: 1,
            numberOfFrames: 480,
          }),
        10,
      ),
    );

    const sent = await sender.sendMany?.([
      { track: own(audioSource.createTrack()) as unknown as MediaStreamTrack },
      { track: own(videoSource.createTrack()) as unknown as MediaStreamTrack },
    ]);
    assert.equal(sent?.length, 2);
    const [audioSent, videoSent] = sent ?? [];
    assert.equal(audioSent?.rtpParameters.codecs[0]?.mimeType, 'audio/opus');
    assert.equal(videoSent?.rtpParameters.codecs[0]?.mimeType, 'video/VP8');
    assert.ok(videoSent?.rtpParameters.encodings?.[0]?.ssrc, 'video producer has an SSRC');

    const audioProducer = await sendTransport.produce({
      kind: 'audio',
      rtpParameters: audioSent!.rtpParameters as never,
    });
    const videoProducer = await sendTransport.produce({
      kind: 'video',
      rtpParameters: videoSent!.rtpParameters as never,
    });

    const audioConsumer = await recvTransport.consume({
      producerId: audioProducer.id,
      rtpCapabilities: recvCaps as never,
    });
    const videoConsumer = await recvTransport.consume({
      producerId: videoProducer.id,
      rtpCapabilities: recvCaps as never,
    });
    const received = await receiver.receive([
      {
        trackId: audioConsumer.id,
        kind: 'audio',
        rtpParameters: audioConsumer.rtpParameters as never,
      },
      {
        trackId: videoConsumer.id,
        kind: 'video',
        rtpParameters: videoConsumer.rtpParameters as never,
      },
    ]);
    assert.equal(received.length, 2);

    const firstVideoFrame = new Promise<{ width: number; height: number }>((resolve) => {
      const sink = new wrtc.nonstandard.RTCVideoSink(received[1]!.track as never);
      sink.onframe = ({ frame: f }: { frame: { width: number; height: number } }) => {
        sink.stop();
        resolve({ width: f.width, height: f.height });
      };
    });
    // libwebrtc's playout may hand the first buffers at its own rate (16 kHz seen): check samples, not rate.
    const firstAudio = new Promise<number>((resolve) => {
      const sink = new wrtc.nonstandard.RTCAudioSink(received[0]!.track as never);
      sink.ondata = (data: { samples: Int16Array }) => {
        sink.stop();
        resolve(data.samples.length);
      };
    });
    const decoded = await firstVideoFrame;
    assert.deepEqual(decoded, { width: WIDTH, height: HEIGHT });
    assert.ok((await firstAudio) > 0, 'audio sink received samples');

    // The worker saw RTP on both producers.
    const stats = await videoProducer.getStats();
    assert.ok(
      stats.some((s) => (s as { byteCount?: number }).byteCount! > 0),
      'video producer received bytes',
    );

    // Per-sender and per-receiver stats (wrtc has no RTCRtpSender.getStats()).
    const senderStats = [...(await sender.getSenderStats(videoSent!.localId)).values()];
    assert.ok(senderStats.some((s) => s.type === 'outbound-rtp' && s.kind === 'video'));
    assert.ok(!senderStats.some((s) => s.type === 'outbound-rtp' && s.kind === 'audio'));
    const receiverStats = [...(await receiver.getReceiverStats(received[1]!.localId)).values()];
    assert.ok(receiverStats.some((s) => s.type === 'inbound-rtp' && s.kind === 'video'));
  });
});
