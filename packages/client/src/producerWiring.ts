import { InvalidStateError } from './errors.js';
import type { HandlerInterface } from './handlers/HandlerInterface.js';
import { Logger } from './Logger.js';
import type { Producer } from './Producer.js';

const logger = new Logger('Transport');

/**
 * Connects a producer's internal (`@`) requests to the transport's handler,
 * each through the transport's serial queue.
 */
export function wireProducer(
  producer: Producer,
  {
    handler,
    enqueue,
    isClosed,
  }: {
    handler: HandlerInterface;
    enqueue: <T>(task: () => Promise<T>, name: string) => Promise<T>;
    isClosed: () => boolean;
  },
): void {
  const { localId } = producer;
  const run = (
    name: string,
    task: () => Promise<void>,
    callback: () => void,
    errback: (e: Error) => void,
  ) => {
    enqueue(task, name).then(callback, errback);
  };
  producer.on('@close', () => {
    if (isClosed()) return;
    enqueue(() => handler.stopSending(localId), 'producer.close()').catch((error: unknown) =>
      logger.warn('producer.close() failed: %o', error),
    );
  });
  producer.on('@pause', (callback, errback) =>
    run('producer.pause()', () => handler.pauseSending(localId), callback, errback),
  );
  producer.on('@resume', (callback, errback) =>
    run('producer.resume()', () => handler.resumeSending(localId), callback, errback),
  );
  producer.on('@replacetrack', (track, callback, errback) =>
    run('producer.replaceTrack()', () => handler.replaceTrack(localId, track), callback, errback),
  );
  producer.on('@setmaxspatiallayer', (spatialLayer, callback, errback) =>
    run(
      'producer.setMaxSpatialLayer()',
      () => handler.setMaxSpatialLayer(localId, spatialLayer),
      callback,
      errback,
    ),
  );
  producer.on('@setrtpencodingparameters', (params, callback, errback) =>
    run(
      'producer.setRtpEncodingParameters()',
      () => handler.setRtpEncodingParameters(localId, params),
      callback,
      errback,
    ),
  );
  producer.on('@getstats', (callback, errback) => {
    if (isClosed()) return errback(new InvalidStateError('transport closed'));
    handler.getSenderStats(localId).then(callback, errback);
  });
}
