import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { InvalidStateError, UnsupportedError } from './errors.js';
import * as fake from './test/fakeParameters.js';
import {
  fakeHandlerOf,
  loadedDevice,
  recvTransport,
  sendTransport,
  track,
} from './test/harness.js';

describe('transport events from the handler', () => {
  it("emits 'connect' once with the local DTLS parameters on first use", async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    const connects: unknown[] = [];
    transport.on('connect', ({ dtlsParameters }, callback) => {
      connects.push(dtlsParameters);
      callback();
    });
    transport.on('produce', (_p, callback) => callback({ id: 'x' }));
    await transport.produce({ track: track('audio').asTrack() });
    await transport.produce({ track: track('video').asTrack() });
    assert.equal(connects.length, 1);
    assert.equal((connects[0] as { role: string }).role, 'server');
  });

  it("rejects the operation when 'connect' errbacks", async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, _callback, errback) => errback(new Error('server said no')));
    transport.on('produce', (_p, callback) => callback({ id: 'x' }));
    await assert.rejects(transport.produce({ track: track('audio').asTrack() }), /server said no/);
  });

  it('relays connection and ICE gathering state changes, once per change', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const states: string[] = [];
    transport.on('connectionstatechange', (s) => states.push(s));
    transport.on('icegatheringstatechange', (s) => states.push(`ice:${s}`));
    const handler = fakeHandlerOf(transport);
    handler.setConnectionState('connecting');
    handler.setConnectionState('connecting');
    handler.setConnectionState('connected');
    handler.setIceGatheringState('gathering');
    assert.deepEqual(states, ['connecting', 'connected', 'ice:gathering']);
    assert.equal(transport.connectionState, 'connected');
    assert.equal(transport.iceGatheringState, 'gathering');
  });
});

describe('transport.produce() arguments', () => {
  it('rejects bad calls with the matching error class', async () => {
    const device = await loadedDevice();
    const send = sendTransport(device);
    const recv = recvTransport(device);
    await assert.rejects(send.produce(), TypeError);
    await assert.rejects(
      send.produce({ track: track('audio').asTrack(), appData: 'x' as never }),
      TypeError,
    );
    await assert.rejects(
      send.produce({ track: track('audio').asTrack(), encodings: {} as never }),
      TypeError,
    );
    await assert.rejects(recv.produce({ track: track('audio').asTrack() }), UnsupportedError);
    const ended = track('audio');
    ended.stop();
    await assert.rejects(send.produce({ track: ended.asTrack() }), InvalidStateError);
    send.close();
    await assert.rejects(send.produce({ track: track('audio').asTrack() }), InvalidStateError);
  });

  it("needs 'produce' and (before connecting) 'connect' listeners", async () => {
    const device = await loadedDevice();
    const noListeners = device.createSendTransport(fake.generateTransportRemoteParameters());
    await assert.rejects(
      noListeners.produce({ track: track('audio').asTrack() }),
      /"connect" listener/,
    );
    noListeners.on('connect', (_d, cb) => cb());
    await assert.rejects(
      noListeners.produce({ track: track('audio').asTrack() }),
      /"produce" listener/,
    );
  });

  it('refuses a kind the router cannot receive with UnsupportedError', async () => {
    const device = (await import('./Device.js')).Device;
    const { FakeHandler } = await import('./handlers/FakeHandler.js');
    const audioOnly = new device({ handlerFactory: FakeHandler.createFactory(fake) });
    const router = fake.generateRouterRtpCapabilities();
    router.codecs = router.codecs?.filter((c) => c.kind === 'audio');
    await audioOnly.load({ routerRtpCapabilities: router });
    const transport = sendTransport(audioOnly);
    await assert.rejects(transport.produce({ track: track('video').asTrack() }), UnsupportedError);
  });
});

describe('transport.produce()', () => {
  it("emits 'produce' with kind, RTP parameters and appData, and resolves with the producer", async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, cb) => cb());
    const events: { kind: string; mimeTypes: string[]; appData: unknown }[] = [];
    transport.on('produce', ({ kind, rtpParameters, appData }, callback) => {
      events.push({ kind, mimeTypes: rtpParameters.codecs.map((c) => c.mimeType), appData });
      callback({ id: 'server-producer-1' });
    });
    const newProducers: string[] = [];
    transport.observer.on('newproducer', (p) => newProducers.push(p.id));
    const vp9 =
      device.sendRtpCapabilities.codecs?.find((c) => c.mimeType === 'video/VP9') ??
      assert.fail('no VP9');
    const producer = await transport.produce({
      track: track('video').asTrack(),
      codec: vp9,
      encodings: [{ maxBitrate: 100000 }, { maxBitrate: 500000, active: false }],
      appData: { camera: true },
    });
    assert.deepEqual(events, [
      { kind: 'video', mimeTypes: ['video/VP9', 'video/rtx'], appData: { camera: true } },
    ]);
    assert.equal(producer.id, 'server-producer-1');
    assert.equal(producer.kind, 'video');
    assert.deepEqual(producer.appData, { camera: true });
    assert.deepEqual(
      producer.rtpParameters.encodings?.map((e) => [e.active, e.maxBitrate, typeof e.ssrc]),
      [
        [true, 100000, 'number'],
        [false, 500000, 'number'],
      ],
    );
    assert.deepEqual(newProducers, ['server-producer-1']);
  });

  it("rejects and stops sending when the app's 'produce' errbacks", async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, cb) => cb());
    transport.on('produce', (_p, _cb, errback) => errback(new Error('quota exceeded')));
    await assert.rejects(transport.produce({ track: track('audio').asTrack() }), /quota exceeded/);
    assert.equal(fakeHandlerOf(transport).tracks.size, 0, 'the sender was removed');
  });
});

describe('batched produce(): calls in one task share one renegotiation', () => {
  it('N produce() calls -> one sendMany, N produce events before any answer, results in call order', async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, cb) => cb());
    const handler = fakeHandlerOf(transport);
    const sendMany = mock.method(handler, 'sendMany');
    const send = mock.method(handler, 'send');
    const pendingAnswers: { kind: string; answer: () => void }[] = [];
    transport.on('produce', ({ kind }, callback) => {
      const id = `id-${pendingAnswers.length}`;
      pendingAnswers.push({ kind, answer: () => callback({ id }) });
      // Answer only once all three were asked, in reverse order.
      if (pendingAnswers.length === 3) for (const p of [...pendingAnswers].reverse()) p.answer();
    });
    const producers = await Promise.all([
      transport.produce({ track: track('audio').asTrack() }),
      transport.produce({ track: track('video').asTrack() }),
      transport.produce({ track: track('video').asTrack(), appData: { screen: true } }),
    ]);
    assert.equal(sendMany.mock.callCount(), 1);
    assert.equal(sendMany.mock.calls[0]?.arguments[0].length, 3);
    assert.equal(send.mock.callCount(), 0);
    assert.deepEqual(
      pendingAnswers.map((p) => p.kind),
      ['audio', 'video', 'video'],
    );
    assert.deepEqual(
      producers.map((p) => [p.id, p.kind]),
      [
        ['id-0', 'audio'],
        ['id-1', 'video'],
        ['id-2', 'video'],
      ],
    );
    assert.deepEqual(producers[2]?.appData, { screen: true });
  });

  it('a producer the app refuses rejects alone; the others resolve', async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, cb) => cb());
    transport.on('produce', ({ appData }, callback, errback) => {
      if (appData.refuse) errback(new Error('refused by server'));
      else callback({ id: `ok-${String(appData.n)}` });
    });
    const results = await Promise.allSettled([
      transport.produce({ track: track('audio').asTrack(), appData: { n: 1 } }),
      transport.produce({ track: track('video').asTrack(), appData: { n: 2, refuse: true } }),
      transport.produce({ track: track('video').asTrack(), appData: { n: 3 } }),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.id : (r.reason as Error).message)),
      ['ok-1', 'refused by server', 'ok-3'],
    );
    assert.equal(fakeHandlerOf(transport).tracks.size, 2, 'the refused sender was stopped');
  });

  it('falls back to one by one when sendMany fails, so only the bad track fails', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const handler = fakeHandlerOf(transport);
    const originalSend = handler.send.bind(handler);
    // A handler-level failure for one track (e.g. a codec the browser refuses):
    // sendMany is all-or-nothing, so it fails the batch, and send() fails alone.
    const bad = track('video');
    mock.method(handler, 'sendMany', async () => {
      throw new Error('setLocalDescription failed');
    });
    const send = mock.method(
      handler,
      'send',
      async (options: Parameters<typeof handler.send>[0]) => {
        if (options.track === bad.asTrack()) throw new Error('codec refused');
        return originalSend(options);
      },
    );
    const results = await Promise.allSettled([
      transport.produce({ track: track('audio').asTrack() }),
      transport.produce({ track: bad.asTrack() }),
      transport.produce({ track: track('video').asTrack() }),
    ]);
    assert.equal(send.mock.callCount(), 3);
    assert.deepEqual(
      results.map((r) => r.status === 'fulfilled' || (r.reason as Error).message),
      [true, 'codec refused', true],
    );
  });

  it('drives a handler without sendMany one track at a time', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const handler = fakeHandlerOf(transport) as unknown as { sendMany?: unknown };
    handler.sendMany = undefined;
    const send = mock.method(fakeHandlerOf(transport), 'send');
    const producers = await Promise.all([
      transport.produce({ track: track('audio').asTrack() }),
      transport.produce({ track: track('video').asTrack() }),
    ]);
    assert.equal(send.mock.callCount(), 2);
    assert.deepEqual(
      producers.map((p) => p.kind),
      ['audio', 'video'],
    );
  });

  it('calls in different tasks make different batches', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const sendMany = mock.method(fakeHandlerOf(transport), 'sendMany');
    const send = mock.method(fakeHandlerOf(transport), 'send');
    await transport.produce({ track: track('audio').asTrack() });
    await transport.produce({ track: track('video').asTrack() });
    // A batch of one is a plain send(), exactly as without batching.
    assert.equal(send.mock.callCount(), 2);
    assert.equal(sendMany.mock.callCount(), 0);
  });
});

describe('transport.close()', () => {
  it('rejects pending operations with InvalidStateError instead of leaving them hanging', async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, cb) => cb());
    // The server never answers 'produce'.
    transport.on('produce', () => undefined);
    transport.on('producedata', () => undefined);
    const pending = [
      transport.produce({ track: track('audio').asTrack() }),
      transport.produce({ track: track('video').asTrack() }),
      transport.produceData(),
      transport.restartIce({
        iceParameters: fake.generateTransportRemoteParameters().iceParameters,
      }),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    transport.close();
    const results = await Promise.allSettled(pending);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof InvalidStateError, String(result.reason));
    }
  });

  it('never starts a handler task that was waiting in the queue when it closed', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const handler = fakeHandlerOf(transport);
    const restartIce = mock.method(handler, 'restartIce');
    const iceParameters = fake.generateTransportRemoteParameters().iceParameters;
    // A produce() holds the queue (its 'connect' is never answered)...
    transport.removeAllListeners('connect');
    transport.on('connect', () => undefined);
    const running = transport.produce({ track: track('audio').asTrack() });
    await new Promise((resolve) => setImmediate(resolve));
    // ...so this one waits behind it.
    const waiting = transport.restartIce({ iceParameters });
    transport.close();
    await assert.rejects(running, InvalidStateError);
    await assert.rejects(waiting, InvalidStateError);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(restartIce.mock.callCount(), 0);
    await assert.rejects(transport.restartIce({ iceParameters }), InvalidStateError);
  });

  it('rejects produce() calls still waiting for their batch', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const pending = transport.produce({ track: track('audio').asTrack() });
    transport.close();
    await assert.rejects(pending, InvalidStateError);
  });

  it('closes producers and consumers with transportclose, and tells the observer', async () => {
    const device = await loadedDevice();
    const send = sendTransport(device);
    const recv = recvTransport(device);
    const producer = await send.produce({ track: track('audio').asTrack() });
    const consumer = await recv.consume(fake.generateConsumerRemoteParameters());
    const events: string[] = [];
    producer.on('transportclose', () => events.push('producer transportclose'));
    consumer.on('transportclose', () => events.push('consumer transportclose'));
    send.observer.on('close', () => events.push('send observer close'));
    send.close();
    recv.close();
    assert.deepEqual(events, [
      'producer transportclose',
      'send observer close',
      'consumer transportclose',
    ]);
    assert.equal(producer.closed, true);
    assert.equal(consumer.closed, true);
    assert.equal(send.closed, true);
    assert.equal(send.connectionState, 'closed');
    assert.equal(producer.track?.readyState, 'ended', 'stopTracks defaults to true');
    await assert.rejects(send.getStats(), InvalidStateError);
  });
});

describe('transport.restartIce() / updateIceServers() / getStats()', () => {
  it('validates arguments and reaches the handler', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const restart = mock.method(fakeHandlerOf(transport), 'restartIce');
    const iceParameters = fake.generateTransportRemoteParameters().iceParameters;
    await transport.restartIce({ iceParameters });
    assert.equal(restart.mock.calls[0]?.arguments[0], iceParameters);
    await assert.rejects(transport.restartIce({} as never), TypeError);
    await assert.rejects(transport.updateIceServers({ iceServers: 'x' as never }), TypeError);
    await transport.updateIceServers({ iceServers: [{ urls: 'stun:stun.example.org' }] });
    assert.ok((await transport.getStats()) instanceof Map);
  });
});
