/**
 * What the client computes, judged by the real mediasoup 3.8.4 worker: for
 * the native capabilities of real browsers (Chromium 156 and Firefox 153
 * offers captured on this machine, and libwebrtc through @roamhq/wrtc), the
 * Device's RTP capabilities are accepted by `router.canConsume`, the sending
 * RTP parameters it computes are accepted by `transport.produce`, and the
 * consumer RTP parameters the server returns are accepted by the client's
 * `transport.consume`. FakeHandler carries the signaling (no media flows
 * here); everything RTP-related is real computation on both sides.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Device, FakeHandler, testFakeParameters, type types } from '@vroom/client';
import { FakeMediaStreamTrack } from '@vroom/client/handlers/FakeMediaStreamTrack';
import { Node as NodeHandler } from '@vroom/client/handlers/Node';
import { defaultMediaCodecs } from '@vroom/server-adapter';
import * as mediasoup from 'mediasoup';
// Internal to the client (not a public entry point): reached by path.
import { nativeCapabilitiesFromSdp } from '../../packages/client/src/handlers/nativeCapabilities.js';

type Worker = Awaited<ReturnType<typeof mediasoup.createWorker>>;
type Router = Awaited<ReturnType<Worker['createRouter']>>;

function capturedCapabilities(browser: string): types.RtpCapabilities {
  const url = new URL(
    `../../packages/client/src/handlers/fixtures/${browser}.json`,
    import.meta.url,
  );
  const fixture = JSON.parse(readFileSync(url, 'utf8')) as {
    scenarios: Record<string, { localSdp: string }>;
  };
  const sdp = fixture.scenarios['caps-sendonly']?.localSdp;
  assert.ok(sdp, `fixture ${browser} has a caps-sendonly offer`);
  return nativeCapabilitiesFromSdp(sdp);
}

async function nodeCapabilities(): Promise<types.RtpCapabilities> {
  return NodeHandler.createFactory().getNativeRtpCapabilities({ direction: 'sendonly' });
}

describe('client capabilities against the real router', () => {
  let worker: Worker;
  let router: Router;

  before(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn' });
    router = await worker.createRouter({ mediaCodecs: defaultMediaCodecs() });
  });
  after(() => worker.close());

  const natives: Array<[string, () => Promise<types.RtpCapabilities>]> = [
    ['Chromium 156', async () => capturedCapabilities('chromium-156')],
    ['Firefox 153', async () => capturedCapabilities('firefox-153')],
    ['libwebrtc (@roamhq/wrtc)', nodeCapabilities],
    ['testFakeParameters', async () => testFakeParameters.generateNativeRtpCapabilities()],
  ];

  for (const [name, native] of natives) {
    it(`${name}: produce is accepted, and what it receives the router can send`, async () => {
      const nativeCaps = await native();
      const device = new Device({
        handlerFactory: FakeHandler.createFactory({
          ...testFakeParameters,
          generateNativeRtpCapabilities: () => structuredClone(nativeCaps),
        }),
      });
      await device.load({ routerRtpCapabilities: router.rtpCapabilities as types.RtpCapabilities });
      assert.ok(device.canProduce('audio'));
      assert.ok(device.canProduce('video'));

      const serverSend = await router.createWebRtcTransport({ listenIps: ['127.0.0.1'] });
      const serverRecv = await router.createWebRtcTransport({ listenIps: ['127.0.0.1'] });
      const send = device.createSendTransport(
        testFakeParameters.generateTransportRemoteParameters(),
      );
      const recv = device.createRecvTransport(
        testFakeParameters.generateTransportRemoteParameters(),
      );
      for (const transport of [send, recv]) transport.on('connect', (_p, callback) => callback());
      // The server's own transport.produce() is the judge of the sending parameters.
      send.on('produce', ({ kind, rtpParameters }, callback, errback) => {
        serverSend
          .produce({ kind, rtpParameters: rtpParameters as mediasoup.types.RtpParameters })
          .then((producer) => callback({ id: producer.id }), errback);
      });

      const [audio, video] = await Promise.all([
        send.produce({
          track: new FakeMediaStreamTrack({ kind: 'audio' }) as unknown as MediaStreamTrack,
        }),
        send.produce({
          track: new FakeMediaStreamTrack({ kind: 'video' }) as unknown as MediaStreamTrack,
          encodings: [{ maxBitrate: 100_000 }, { maxBitrate: 300_000 }, { maxBitrate: 900_000 }],
        }),
      ]);

      for (const producer of [audio, video]) {
        const rtpCapabilities = device.rtpCapabilities as mediasoup.types.RtpCapabilities;
        assert.equal(
          router.canConsume({ producerId: producer.id, rtpCapabilities }),
          true,
          producer.kind,
        );
        const serverConsumer = await serverRecv.consume({
          producerId: producer.id,
          rtpCapabilities,
          paused: true,
        });
        const consumer = await recv.consume({
          id: serverConsumer.id,
          producerId: producer.id,
          kind: serverConsumer.kind,
          rtpParameters: serverConsumer.rtpParameters as types.RtpParameters,
        });
        assert.equal(consumer.kind, producer.kind);
        assert.equal(
          consumer.rtpParameters.codecs[0]?.mimeType.toLowerCase(),
          serverConsumer.rtpParameters.codecs[0]?.mimeType.toLowerCase(),
        );
      }
      assert.equal(video.rtpParameters.encodings?.length, 3);
      serverSend.close();
      serverRecv.close();
    });
  }

  it('a client that cannot decode any router video codec is refused by canConsume', async () => {
    const audioOnly = testFakeParameters.generateNativeRtpCapabilities();
    audioOnly.codecs = audioOnly.codecs?.filter((codec) => codec.kind === 'audio');
    const device = new Device({
      handlerFactory: FakeHandler.createFactory({
        ...testFakeParameters,
        generateNativeRtpCapabilities: () => audioOnly,
      }),
    });
    await device.load({ routerRtpCapabilities: router.rtpCapabilities as types.RtpCapabilities });
    assert.equal(device.canProduce('video'), false);

    // A video producer from a capable peer, then the audio-only device asks.
    const transport = await router.createWebRtcTransport({ listenIps: ['127.0.0.1'] });
    const producer = await transport.produce({
      kind: 'video',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
        encodings: [{ ssrc: 1111 }],
      },
    });
    const rtpCapabilities = device.rtpCapabilities as mediasoup.types.RtpCapabilities;
    assert.equal(router.canConsume({ producerId: producer.id, rtpCapabilities }), false);
    transport.close();
  });
});
