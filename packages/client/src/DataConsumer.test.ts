import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataConsumer } from './DataConsumer.js';
import type { DataProducer } from './DataProducer.js';
import { UnsupportedError } from './errors.js';
import type { FakeDataChannel } from './handlers/FakeDataChannel.js';
import * as fake from './test/fakeParameters.js';
import { loadedDevice, recvTransport, sendTransport } from './test/harness.js';

function channelOf(endpoint: DataProducer | DataConsumer): FakeDataChannel {
  return (endpoint as unknown as { _dataChannel: FakeDataChannel })._dataChannel;
}

describe('transport.consumeData()', () => {
  it('opens a receiving channel that relays messages', async () => {
    const device = await loadedDevice();
    const transport = recvTransport(device);
    const seen: DataConsumer[] = [];
    transport.observer.on('newdataconsumer', (d) => seen.push(d));
    const remote = fake.generateDataConsumerRemoteParameters();
    const dataConsumer = await transport.consumeData({ ...remote, label: 'chat' });
    assert.equal(dataConsumer.id, remote.id);
    assert.equal(dataConsumer.dataProducerId, remote.dataProducerId);
    assert.equal(dataConsumer.label, 'chat');
    assert.equal(
      dataConsumer.sctpStreamParameters.ordered,
      false,
      'a lifetime makes the stream unordered',
    );
    assert.deepEqual(seen, [dataConsumer]);
    const messages: unknown[] = [];
    dataConsumer.on('message', (m) => messages.push(m));
    channelOf(dataConsumer).receive('hi');
    assert.deepEqual(messages, ['hi']);
    dataConsumer.binaryType = 'blob';
    assert.equal(dataConsumer.binaryType, 'blob');
  });

  it('rejects bad calls with the matching error class', async () => {
    const device = await loadedDevice();
    const recv = recvTransport(device);
    const remote = fake.generateDataConsumerRemoteParameters();
    await assert.rejects(recv.consumeData({ ...remote, id: undefined } as never), TypeError);
    await assert.rejects(
      recv.consumeData({ ...remote, dataProducerId: undefined } as never),
      TypeError,
    );
    await assert.rejects(recv.consumeData({ ...remote, sctpStreamParameters: {} }), TypeError);
    await assert.rejects(sendTransport(device).consumeData(remote), UnsupportedError);
  });

  it('closes with the transport', async () => {
    const device = await loadedDevice();
    const transport = recvTransport(device);
    const dataConsumer = await transport.consumeData(fake.generateDataConsumerRemoteParameters());
    let transportClosed = 0;
    dataConsumer.on('transportclose', () => transportClosed++);
    transport.close();
    assert.equal(transportClosed, 1);
    assert.equal(dataConsumer.closed, true);
  });
});
