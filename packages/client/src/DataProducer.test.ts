import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataConsumer } from './DataConsumer.js';
import type { DataProducer } from './DataProducer.js';
import { InvalidStateError, UnsupportedError } from './errors.js';
import type { FakeDataChannel } from './handlers/FakeDataChannel.js';
import * as fake from './test/fakeParameters.js';
import { loadedDevice, recvTransport, sendTransport } from './test/harness.js';

function channelOf(endpoint: DataProducer | DataConsumer): FakeDataChannel {
  return (endpoint as unknown as { _dataChannel: FakeDataChannel })._dataChannel;
}

describe('transport.produceData()', () => {
  it("emits 'producedata' with the stream parameters and resolves with a data producer", async () => {
    const device = await loadedDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transport.on('connect', (_d, cb) => cb());
    const asked: unknown[] = [];
    transport.on('producedata', (params, callback) => {
      asked.push(params);
      callback({ id: 'dp-1' });
    });
    const dataProducer = await transport.produceData({
      maxRetransmits: 3,
      label: 'chat',
      protocol: 'json',
      appData: { a: 1 },
    });
    assert.deepEqual(asked, [
      {
        sctpStreamParameters: {
          streamId: 0,
          ordered: false,
          maxRetransmits: 3,
          label: 'chat',
          protocol: 'json',
        },
        label: 'chat',
        protocol: 'json',
        appData: { a: 1 },
      },
    ]);
    assert.equal(dataProducer.id, 'dp-1');
    assert.equal(dataProducer.label, 'chat');
    assert.equal(dataProducer.protocol, 'json');
    assert.equal(dataProducer.readyState, 'open');
    assert.equal(dataProducer.sctpStreamParameters.ordered, false);
    dataProducer.send('hello');
    assert.deepEqual(channelOf(dataProducer).sent, ['hello']);
    dataProducer.bufferedAmountLowThreshold = 1024;
    assert.equal(dataProducer.bufferedAmountLowThreshold, 1024);
    assert.equal(transport.getDataChannelMaxMessageSize(), 262144);
  });

  it('rejects contradictory reliability, recv transports and transports without SCTP', async () => {
    const device = await loadedDevice();
    const send = sendTransport(device);
    await assert.rejects(send.produceData({ ordered: true, maxRetransmits: 1 }), TypeError);
    await assert.rejects(send.produceData({ maxRetransmits: 1, maxPacketLifeTime: 1 }), TypeError);
    await assert.rejects(recvTransport(device).produceData(), UnsupportedError);
    const { sctpParameters: _omit, ...noSctp } = fake.generateTransportRemoteParameters();
    const plain = device.createSendTransport(noSctp);
    plain.on('connect', (_d, cb) => cb());
    plain.on('producedata', (_p, cb) => cb({ id: 'x' }));
    await assert.rejects(plain.produceData(), UnsupportedError);
  });

  it('close() closes the channel; send() then fails with InvalidStateError', async () => {
    const device = await loadedDevice();
    const dataProducer = await sendTransport(device).produceData();
    let observed = 0;
    dataProducer.observer.on('close', () => observed++);
    dataProducer.close();
    assert.equal(dataProducer.closed, true);
    assert.equal(observed, 1);
    assert.equal(channelOf(dataProducer).readyState, 'closed');
    assert.throws(() => dataProducer.send('late'), InvalidStateError);
  });

  it("emits 'close' when the remote side closes the channel", async () => {
    const device = await loadedDevice();
    const dataProducer = await sendTransport(device).produceData();
    let closes = 0;
    dataProducer.on('close', () => closes++);
    channelOf(dataProducer).remoteClose();
    assert.equal(closes, 1);
    assert.equal(dataProducer.closed, true);
  });
});
