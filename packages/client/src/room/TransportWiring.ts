import type { Transport } from '../Transport.js';
import { RoomError } from './errors.js';
import type { Request } from './SignalingSession.js';

export type TransportWiringContext = {
  request: Request;
  /** A pipelined request failed: nobody awaits it. */
  onError: (error: RoomError) => void;
};

/**
 * Answers a transport's events with protocol requests. `connect` is answered
 * at once, without waiting for the server: it handles one peer's requests in
 * order, so the `produce` requests sent right behind cannot overtake it, and
 * a join + camera + microphone takes two sequential round trips, not three.
 * ICE trouble is `IceRestarter`'s business.
 */
export function wireTransport(transport: Transport, context: TransportWiringContext): void {
  const transportId = transport.id;
  transport.on('connect', ({ dtlsParameters }, callback) => {
    context
      .request('connectWebRtcTransport', { transportId, dtlsParameters })
      .catch((error: unknown) =>
        context.onError(RoomError.requestFailed('connectWebRtcTransport', error)),
      );
    callback();
  });
  if (transport.direction !== 'send') return;
  transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    context.request('produce', { transportId, kind, rtpParameters, appData }).then(
      ({ producerId }) => callback({ id: producerId }),
      (error: unknown) => errback(RoomError.requestFailed('produce', error)),
    );
  });
  transport.on(
    'producedata',
    ({ sctpStreamParameters, label, protocol, appData }, callback, errback) => {
      const { streamId } = sctpStreamParameters;
      if (streamId === undefined) {
        errback(new TypeError('the handler gave the data channel no SCTP stream id'));
        return;
      }
      context
        .request('produceData', {
          transportId,
          sctpStreamParameters: { ...sctpStreamParameters, streamId },
          ...(label !== undefined ? { label } : {}),
          ...(protocol !== undefined ? { protocol } : {}),
          appData,
        })
        .then(
          ({ dataProducerId }) => callback({ id: dataProducerId }),
          (error: unknown) => errback(RoomError.requestFailed('produceData', error)),
        );
    },
  );
}
