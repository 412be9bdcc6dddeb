import { serverNotifications, serverRequests } from '@vroom/protocol';
import * as v from 'valibot';

/**
 * What nodes tell each other about a room, each body checked against its
 * schema before use (ClusterMessenger). Peer and producer descriptions reuse
 * the client protocol's own schemas, so a node accepts from another node no
 * more than it would from a client.
 */
const Address = v.strictObject({
  ip: v.pipe(v.string(), v.maxLength(64)),
  port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  srtp: v.optional(
    v.strictObject({
      cryptoSuite: v.picklist(['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
      keyBase64: v.pipe(v.string(), v.maxLength(64)),
    }),
  ),
});

const ProducerRef = v.strictObject({ producerId: v.pipe(v.string(), v.maxLength(64)) });

export const busMessages = {
  /** Room channel: a node now has peers of the room (pipes are made by the smaller node id). */
  nodeHere: v.strictObject({}),
  /** Room channel: the sender claimed the room's origin at the envelope's epoch. */
  owner: v.strictObject({}),
  /** Room channel: send me (the envelope's sender) your peers of this room. */
  syncRequest: v.strictObject({}),
  /** To one node: my peers of the room, in answer to `syncRequest`. */
  roomState: v.strictObject({
    peers: v.pipe(v.array(serverNotifications.peerJoined), v.maxLength(1000)),
  }),
  /** Room channel: one of the sender's peers joined / left. */
  peerUp: serverNotifications.peerJoined,
  peerDown: serverNotifications.peerLeft,
  /** To one node: my end of our pipe for the room; make yours and answer. */
  pipeOffer: Address,
  /** To one node: my end, in answer to `pipeOffer`. */
  pipeAnswer: Address,
  /** To one node: a producer of my peers, consumed on our pipe: produce it on yours. */
  pipeProducer: serverRequests.newConsumer.request,
  /** To one node: a data producer of my peers, consumed on our pipe: produce it on yours. */
  pipeDataProducer: serverRequests.newDataConsumer.request,
  /** To one node: that producer paused / resumed / closed at its origin. */
  producerPaused: ProducerRef,
  producerResumed: ProducerRef,
  producerGone: ProducerRef,
  dataProducerGone: v.strictObject({ dataProducerId: v.pipe(v.string(), v.maxLength(64)) }),
} as const;

export type BusMessages = {
  [K in keyof typeof busMessages]: v.InferOutput<(typeof busMessages)[K]>;
};
