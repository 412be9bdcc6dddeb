import { keyFrameRequestDelay } from '../keyFramePacing.js';
import { runningDownlinkLayers } from '../layers/DownlinkLayers.js';
import { createLogger } from '../logger.js';
import { resumeWhenKeyFrameWouldBeHonoured } from '../subscribe.js';
import type { Handler } from './types.js';

const log = createLogger('requests:consumers');
/** A client's spatial-only choice: every temporal layer of it. */
const MAX_TEMPORAL_LAYER = 15;

const pauseConsumer: Handler<'pauseConsumer'> = async (peer, data) => {
  peer.requireRoom();
  const consumer = peer.consumer(data.consumerId);
  peer.pausedByClient.add(consumer.id);
  await consumer.pause();
  return {};
};

const resumeConsumer: Handler<'resumeConsumer'> = async (peer, data) => {
  peer.requireRoom();
  const consumer = peer.consumer(data.consumerId);
  peer.pausedByClient.delete(consumer.id);
  if (consumer.kind === 'video' && keyFrameRequestDelay(consumer.producerId) > 0) {
    // Answered now, resumed once the sender would honour the key frame request
    // (from a timer, then through this queue: a later pause still wins).
    resumeWhenKeyFrameWouldBeHonoured(peer, consumer).catch((error: unknown) =>
      log.debug('resume of consumer %s failed: %s', consumer.id, error),
    );
    return {};
  }
  await consumer.resume();
  return {};
};

const closeConsumer: Handler<'closeConsumer'> = async (peer, data) => {
  peer.requireRoom();
  peer.consumer(data.consumerId).close();
  return {};
};

const setConsumerPreferredLayers: Handler<'setConsumerPreferredLayers'> = async (peer, data) => {
  peer.requireRoom();
  const { spatialLayer, temporalLayer } = data;
  const consumer = peer.consumer(data.consumerId);
  // Where the layer policy runs, the client's choice becomes its ceiling.
  const transport = peer.recvTransport({ sctp: false });
  const capped = transport
    ? await runningDownlinkLayers(transport)?.setCap(consumer, {
        spatialLayer,
        temporalLayer: temporalLayer ?? MAX_TEMPORAL_LAYER,
      })
    : false;
  if (capped) return {};
  await consumer.setPreferredLayers(
    temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer },
  );
  return {};
};

const setConsumerPriority: Handler<'setConsumerPriority'> = async (peer, data) => {
  peer.requireRoom();
  await peer.consumer(data.consumerId).setPriority(data.priority);
  return {};
};

const requestConsumerKeyFrame: Handler<'requestConsumerKeyFrame'> = async (peer, data) => {
  peer.requireRoom();
  await peer.consumer(data.consumerId).requestKeyFrame();
  return {};
};

export const consumerHandlers = {
  pauseConsumer,
  resumeConsumer,
  closeConsumer,
  setConsumerPreferredLayers,
  setConsumerPriority,
  requestConsumerKeyFrame,
};
