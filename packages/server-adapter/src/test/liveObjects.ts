import type { SfuServer } from '../SfuServer.js';

export interface LiveObjects {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  dataProducers: number;
  dataConsumers: number;
}

export const NOTHING: LiveObjects = Object.freeze({
  routers: 0,
  transports: 0,
  producers: 0,
  consumers: 0,
  dataProducers: 0,
  dataConsumers: 0,
});

/**
 * Counts what the worker processes themselves report (`worker.dump()`,
 * `router.dump()`), not what the adapter believes: a leak in the adapter's
 * bookkeeping cannot hide here.
 */
export async function liveObjects(server: SfuServer): Promise<LiveObjects> {
  const counts: LiveObjects = { ...NOTHING };
  for (const worker of server.pool.workers) {
    if (worker.closed) continue;
    const dump = (await worker.dump()) as { routerIds: string[] };
    counts.routers += dump.routerIds.length;
  }
  for (const room of server.rooms()) {
    if (room.router.closed) continue;
    const dump = (await room.router.dump()) as {
      transportIds: string[];
      mapProducerIdConsumerIds: Record<string, unknown>;
      mapConsumerIdProducerId: Record<string, unknown>;
      mapDataProducerIdDataConsumerIds: Record<string, unknown>;
      mapDataConsumerIdDataProducerId: Record<string, unknown>;
    };
    counts.transports += dump.transportIds.length;
    counts.producers += Object.keys(dump.mapProducerIdConsumerIds).length;
    counts.consumers += Object.keys(dump.mapConsumerIdProducerId).length;
    counts.dataProducers += Object.keys(dump.mapDataProducerIdDataConsumerIds).length;
    counts.dataConsumers += Object.keys(dump.mapDataConsumerIdDataProducerId).length;
  }
  return counts;
}
