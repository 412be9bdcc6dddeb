import type { Handler } from './types.js';

const getTransportStats: Handler<'getTransportStats'> = async (peer, data) => {
  peer.requireRoom();
  return { stats: await peer.transport(data.transportId).getStats() };
};

const getProducerStats: Handler<'getProducerStats'> = async (peer, data) => {
  peer.requireRoom();
  return { stats: await peer.producer(data.producerId).getStats() };
};

const getConsumerStats: Handler<'getConsumerStats'> = async (peer, data) => {
  peer.requireRoom();
  return { stats: await peer.consumer(data.consumerId).getStats() };
};

export const statsHandlers = { getTransportStats, getProducerStats, getConsumerStats };
