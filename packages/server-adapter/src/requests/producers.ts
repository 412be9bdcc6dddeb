import { ErrorCode, ProtocolError } from '@vroom/protocol';
import type { types } from 'mediasoup';
import { assertMayProduce } from '../permissions.js';
import { fanOutProducer } from '../subscribe.js';
import type { Handler } from './types.js';

const produce: Handler<'produce'> = async (peer, data, server) => {
  const room = peer.requireRoom();
  const transport = peer.transport(data.transportId);
  if (peer.transports.get(transport.id)?.direction !== 'send') {
    throw new ProtocolError(ErrorCode.InvalidState, 'produce on a send transport, not a recv one');
  }
  assertMayProduce(peer, data.kind, data.appData);
  const max = server.limits.producersPerPeer;
  if (peer.producers.size >= max) throw ProtocolError.limit('producers per peer', max);
  const producer = await transport.produce({
    kind: data.kind,
    // Validated against the protocol's schema, which mirrors mediasoup's type.
    rtpParameters: data.rtpParameters as types.RtpParameters,
    paused: data.paused ?? false,
    // `peerId` lets observers and consumers name the owner; `client` is what
    // the owner sent, passed on to consumers untouched.
    appData: { peerId: peer.id, client: data.appData ?? {} },
  });
  try {
    // Again: the app may have revoked it while the worker made the producer.
    assertMayProduce(peer, data.kind, data.appData);
  } catch (error) {
    producer.close();
    throw error;
  }
  peer.adoptProducer(producer);
  if (producer.kind === 'audio') void room.observeAudio(producer);
  fanOutProducer(peer, producer);
  return { producerId: producer.id };
};

const closeProducer: Handler<'closeProducer'> = async (peer, data) => {
  peer.requireRoom();
  peer.producer(data.producerId).close();
  return {};
};

const pauseProducer: Handler<'pauseProducer'> = async (peer, data) => {
  peer.requireRoom();
  await peer.producer(data.producerId).pause();
  return {};
};

const resumeProducer: Handler<'resumeProducer'> = async (peer, data) => {
  peer.requireRoom();
  await peer.producer(data.producerId).resume();
  return {};
};

export const producerHandlers = { produce, closeProducer, pauseProducer, resumeProducer };
