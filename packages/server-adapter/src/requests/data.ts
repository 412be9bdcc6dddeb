import { ErrorCode, ProtocolError } from '@vroom/protocol';
import type { types } from 'mediasoup';
import { assertMayProduceData } from '../permissions.js';
import { fanOutDataProducer } from '../subscribe.js';
import type { Handler } from './types.js';

const produceData: Handler<'produceData'> = async (peer, data, server) => {
  peer.requireRoom();
  const transport = peer.transport(data.transportId);
  if (!transport.sctpParameters) {
    throw new ProtocolError(
      ErrorCode.InvalidState,
      `transport "${transport.id}" has no SCTP association; create it with sctp: true`,
    );
  }
  assertMayProduceData(peer);
  const max = server.limits.dataProducersPerPeer;
  if (peer.dataProducers.size >= max) throw ProtocolError.limit('data producers per peer', max);
  const { streamId } = data.sctpStreamParameters;
  // The worker refuses a stream id in use with a bare error (INTERNAL): say what is wrong.
  for (const other of peer.dataProducers.values()) {
    const { transportId } = other.appData as { transportId?: string };
    if (transportId === transport.id && other.sctpStreamParameters?.streamId === streamId) {
      throw ProtocolError.invalidData(
        'produceData',
        `sctpStreamParameters.streamId ${streamId} is in use on this transport; pick a free one`,
      );
    }
  }
  const dataProducer = await transport.produceData({
    sctpStreamParameters: data.sctpStreamParameters as types.SctpStreamParameters,
    ...(data.label !== undefined ? { label: data.label } : {}),
    ...(data.protocol !== undefined ? { protocol: data.protocol } : {}),
    appData: { peerId: peer.id, transportId: transport.id, client: data.appData ?? {} },
  });
  try {
    assertMayProduceData(peer); // again, after the worker's await
  } catch (error) {
    dataProducer.close();
    throw error;
  }
  peer.adoptDataProducer(dataProducer);
  fanOutDataProducer(peer, dataProducer);
  return { dataProducerId: dataProducer.id };
};

const closeDataProducer: Handler<'closeDataProducer'> = async (peer, data) => {
  peer.requireRoom();
  peer.dataProducer(data.dataProducerId).close();
  return {};
};

export const dataHandlers = { produceData, closeDataProducer };
