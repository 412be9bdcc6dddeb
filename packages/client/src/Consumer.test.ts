import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { Consumer } from './Consumer.js';
import { InvalidStateError, UnsupportedError } from './errors.js';
import type { FakeMediaStreamTrack } from './handlers/FakeMediaStreamTrack.js';
import * as fake from './test/fakeParameters.js';
import { fakeHandlerOf, loadedDevice, recvTransport, sendTransport } from './test/harness.js';

describe('transport.consume()', () => {
  it('creates a consumer with a live track of the right kind, and tells the observer', async () => {
    const device = await loadedDevice();
    const transport = recvTransport(device);
    const seen: Consumer[] = [];
    transport.observer.on('newconsumer', (c) => seen.push(c));
    const remote = fake.generateConsumerRemoteParameters({ codecMimeType: 'video/VP8' });
    const consumer = await transport.consume({ ...remote, appData: { peer: 'bob' } });
    assert.equal(consumer.id, remote.id);
    assert.equal(consumer.producerId, remote.producerId);
    assert.equal(consumer.kind, 'video');
    assert.equal(consumer.track.readyState, 'live');
    assert.equal(consumer.track.id, remote.id);
    assert.equal(consumer.paused, false);
    assert.deepEqual(consumer.appData, { peer: 'bob' });
    assert.deepEqual(seen, [consumer]);
  });

  it('rejects bad calls with the matching error class', async () => {
    const device = await loadedDevice();
    const recv = recvTransport(device);
    const send = sendTransport(device);
    const remote = fake.generateConsumerRemoteParameters();
    await assert.rejects(recv.consume({ ...remote, id: undefined } as never), TypeError);
    await assert.rejects(recv.consume({ ...remote, producerId: 1 } as never), TypeError);
    await assert.rejects(recv.consume({ ...remote, kind: 'data' } as never), TypeError);
    await assert.rejects(recv.consume({ ...remote, rtpParameters: {} } as never), TypeError);
    await assert.rejects(send.consume(remote), UnsupportedError);
    const unknownCodec = structuredClone(remote);
    (unknownCodec.rtpParameters.codecs[0] as { payloadType: number }).payloadType = 42;
    await assert.rejects(recv.consume(unknownCodec), UnsupportedError);
    recv.close();
    await assert.rejects(recv.consume(remote), InvalidStateError);
  });

  it('shares one receive() among the consume() calls of one task, in order, plus the probator', async () => {
    const device = await loadedDevice();
    const transport = recvTransport(device);
    const receive = mock.method(fakeHandlerOf(transport), 'receive');
    const remotes = [
      fake.generateConsumerRemoteParameters({ codecMimeType: 'audio/opus' }),
      fake.generateConsumerRemoteParameters({ codecMimeType: 'video/VP8' }),
      fake.generateConsumerRemoteParameters({ codecMimeType: 'video/H264' }),
    ];
    const consumers = await Promise.all(remotes.map((r) => transport.consume(r)));
    assert.equal(receive.mock.callCount(), 1);
    assert.deepEqual(
      receive.mock.calls[0]?.arguments[0].map((o) => o.trackId),
      [...remotes.map((r) => r.id), 'probator'],
    );
    assert.deepEqual(
      consumers.map((c) => c.id),
      remotes.map((r) => r.id),
    );
    // The probator comes once per transport.
    await transport.consume(fake.generateConsumerRemoteParameters({ codecMimeType: 'video/VP8' }));
    assert.deepEqual(
      receive.mock.calls[1]?.arguments[0].map((o) => o.trackId).includes('probator'),
      false,
    );
  });

  it('rejects every consume() of a batch whose receive() failed', async () => {
    const device = await loadedDevice();
    const transport = recvTransport(device);
    mock.method(fakeHandlerOf(transport), 'receive', async () => {
      throw new Error('setRemoteDescription failed');
    });
    const results = await Promise.allSettled([
      transport.consume(fake.generateConsumerRemoteParameters()),
      transport.consume(fake.generateConsumerRemoteParameters()),
    ]);
    assert.deepEqual(
      results.map((r) => r.status === 'rejected' && (r.reason as Error).message),
      ['setRemoteDescription failed', 'setRemoteDescription failed'],
    );
  });
});

describe('transport.close() while consuming', () => {
  it("rejects consume() and consumeData() waiting for a 'connect' answer that never comes", async () => {
    const device = await loadedDevice();
    const transport = device.createRecvTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', () => undefined);
    const pending = [
      transport.consume(fake.generateConsumerRemoteParameters()),
      transport.consume(fake.generateConsumerRemoteParameters({ codecMimeType: 'video/VP8' })),
      transport.consumeData(fake.generateDataConsumerRemoteParameters()),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    transport.close();
    for (const result of await Promise.allSettled(pending)) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof InvalidStateError, String(result.reason));
    }
  });
});

describe('consumer pause/resume/close', () => {
  async function consumers(n: number) {
    const device = await loadedDevice();
    const transport = recvTransport(device);
    const list = await Promise.all(
      Array.from({ length: n }, () => transport.consume(fake.generateConsumerRemoteParameters())),
    );
    return { transport, list, handler: fakeHandlerOf(transport) };
  }

  it('pauses in one handler call per task and disables the tracks', async () => {
    const { list, handler } = await consumers(3);
    const pause = mock.method(handler, 'pauseReceiving');
    const resume = mock.method(handler, 'resumeReceiving');
    for (const c of list) c.pause();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pause.mock.callCount(), 1);
    assert.deepEqual(
      pause.mock.calls[0]?.arguments[0],
      list.map((c) => c.localId),
    );
    assert.ok(list.every((c) => c.paused && !c.track.enabled));
    for (const c of list) c.resume();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(resume.mock.callCount(), 1);
    assert.ok(list.every((c) => !c.paused && c.track.enabled));
  });

  it('a pause then resume in the same task resumes only', async () => {
    const { list, handler } = await consumers(1);
    const pause = mock.method(handler, 'pauseReceiving');
    const consumer = list[0] as Consumer;
    consumer.pause();
    consumer.resume();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pause.mock.callCount(), 0);
    assert.equal(consumer.paused, false);
  });

  it('close() stops the track and the receiver, in one handler call per task', async () => {
    const { list, handler, transport } = await consumers(2);
    const stop = mock.method(handler, 'stopReceiving');
    const seen: string[] = [];
    for (const c of list) c.observer.on('close', () => seen.push(c.id));
    for (const c of list) c.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stop.mock.callCount(), 1);
    assert.deepEqual(
      seen,
      list.map((c) => c.id),
    );
    assert.ok(list.every((c) => c.closed && c.track.readyState === 'ended'));
    await assert.rejects((list[0] as Consumer).getStats(), InvalidStateError);
    assert.equal(transport.closed, false);
  });

  it("emits 'trackended' when the remote track ends", async () => {
    const { list } = await consumers(1);
    const consumer = list[0] as Consumer;
    let ended = 0;
    consumer.on('trackended', () => ended++);
    (consumer.track as unknown as FakeMediaStreamTrack).remoteStop();
    assert.equal(ended, 1);
  });

  it('getStats() returns the receiver report', async () => {
    const { list } = await consumers(1);
    assert.ok((await (list[0] as Consumer).getStats()) instanceof Map);
  });
});
