import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { InvalidStateError, UnsupportedError } from './errors.js';
import { fakeHandlerOf, loadedDevice, sendTransport, track } from './test/harness.js';

async function setup(kind: 'audio' | 'video' = 'video', options: Record<string, unknown> = {}) {
  const device = await loadedDevice();
  const transport = sendTransport(device);
  const source = track(kind);
  const producer = await transport.produce({ track: source.asTrack(), ...options });
  return { transport, source, producer, handler: fakeHandlerOf(transport) };
}

describe('producer.pause() / resume()', () => {
  it('disables the track while paused and tells the observer', async () => {
    const { producer, source } = await setup();
    const seen: string[] = [];
    producer.observer.on('pause', () => seen.push('pause'));
    producer.observer.on('resume', () => seen.push('resume'));
    producer.pause();
    assert.equal(producer.paused, true);
    assert.equal(source.enabled, false);
    producer.resume();
    assert.equal(producer.paused, false);
    assert.equal(source.enabled, true);
    assert.deepEqual(seen, ['pause', 'resume']);
  });

  it('keeps the track enabled with disableTrackOnPause: false', async () => {
    const { producer, source } = await setup('audio', { disableTrackOnPause: false });
    producer.pause();
    assert.equal(source.enabled, true);
  });

  it('stops RTP in the handler only with zeroRtpOnPause', async () => {
    const plain = await setup();
    const pausePlain = mock.method(plain.handler, 'pauseSending');
    plain.producer.pause();
    const zero = await setup('video', { zeroRtpOnPause: true });
    const pauseZero = mock.method(zero.handler, 'pauseSending');
    const resumeZero = mock.method(zero.handler, 'resumeSending');
    zero.producer.pause();
    zero.producer.resume();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pausePlain.mock.callCount(), 0);
    assert.equal(pauseZero.mock.callCount(), 1);
    assert.equal(resumeZero.mock.callCount(), 1);
    assert.equal(pauseZero.mock.calls[0]?.arguments[0], zero.producer.localId);
  });

  it('starts paused when produced with a disabled track', async () => {
    const device = await loadedDevice();
    const transport = sendTransport(device);
    const producer = await transport.produce({
      track: track('audio', { enabled: false }).asTrack(),
    });
    assert.equal(producer.paused, true);
  });
});

describe('producer.replaceTrack()', () => {
  it('swaps the track in the handler, stops the old one and keeps the paused state', async () => {
    const { producer, source, handler } = await setup();
    producer.pause();
    const next = track('video');
    await producer.replaceTrack({ track: next.asTrack() });
    assert.equal(producer.track, next.asTrack());
    assert.equal(handler.tracks.get(producer.localId), next.asTrack());
    assert.equal(source.readyState, 'ended', 'stopTracks stops the replaced track');
    assert.equal(next.enabled, false, 'a paused producer disables the new track');
    await producer.replaceTrack({ track: null });
    assert.equal(producer.track, null);
  });

  it('rejects an ended track and a closed producer', async () => {
    const { producer } = await setup();
    const ended = track('video');
    ended.stop();
    await assert.rejects(producer.replaceTrack({ track: ended.asTrack() }), InvalidStateError);
    producer.close();
    const leftover = track('video');
    await assert.rejects(producer.replaceTrack({ track: leftover.asTrack() }), InvalidStateError);
    assert.equal(leftover.readyState, 'ended', 'the given track is stopped so it does not leak');
  });
});

describe('producer.setMaxSpatialLayer() / setRtpEncodingParameters()', () => {
  it('sets the layer through the handler and remembers it', async () => {
    const { producer, handler } = await setup();
    const spy = mock.method(handler, 'setMaxSpatialLayer');
    await producer.setMaxSpatialLayer(1);
    await producer.setMaxSpatialLayer(1);
    assert.equal(producer.maxSpatialLayer, 1);
    assert.equal(spy.mock.callCount(), 1, 'the same layer again is a no-op');
    await assert.rejects(producer.setMaxSpatialLayer(-1), TypeError);
  });

  it('refuses spatial layers for audio with UnsupportedError', async () => {
    const { producer } = await setup('audio');
    await assert.rejects(producer.setMaxSpatialLayer(0), UnsupportedError);
  });

  it('passes encoding parameters to the handler', async () => {
    const { producer, handler } = await setup();
    const spy = mock.method(handler, 'setRtpEncodingParameters');
    await producer.setRtpEncodingParameters({ maxBitrate: 300000 });
    assert.deepEqual(spy.mock.calls[0]?.arguments, [producer.localId, { maxBitrate: 300000 }]);
    await assert.rejects(producer.setRtpEncodingParameters(null as never), TypeError);
  });
});

describe('producer events and close()', () => {
  it("emits 'trackended' when the source ends", async () => {
    const { producer, source } = await setup();
    const seen: string[] = [];
    producer.on('trackended', () => seen.push('event'));
    producer.observer.on('trackended', () => seen.push('observer'));
    source.remoteStop();
    assert.deepEqual(seen, ['event', 'observer']);
  });

  it('close() stops sending in the handler and makes methods fail with InvalidStateError', async () => {
    const { producer, handler, transport } = await setup();
    const closed: string[] = [];
    producer.observer.on('close', () => closed.push('observer'));
    producer.close();
    producer.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, ['observer']);
    assert.equal(handler.tracks.has(producer.localId), false);
    await assert.rejects(producer.getStats(), InvalidStateError);
    await assert.rejects(producer.setMaxSpatialLayer(0), InvalidStateError);
    producer.pause(); // logged, not thrown
    assert.equal(producer.paused, false);
    assert.equal(transport.closed, false);
  });

  it('getStats() returns the sender report', async () => {
    const { producer } = await setup();
    assert.ok((await producer.getStats()) instanceof Map);
  });

  it('keeps the track running on close with stopTracks: false', async () => {
    const { producer, source } = await setup('audio', { stopTracks: false });
    producer.close();
    assert.equal(source.readyState, 'live');
  });
});
