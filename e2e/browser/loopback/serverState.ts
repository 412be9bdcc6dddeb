// What the server side of a loopback run looks like, as JSON the specs can
// fetch over HTTP (the server may run in another process, in a namespace).
import type { SfuServer } from '@vroom/server-adapter';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';

type Layers = { spatialLayer: number; temporalLayer?: number } | null;

export interface ProducerState {
  id: string;
  label: string;
  kind: string;
  type: string;
  paused: boolean;
  /** Per-stream score as the worker reports it (one entry per SSRC / RID). */
  score: { rid?: string; ssrc: number; score: number }[];
  /** The worker's inbound stream stats: packets received per RID. */
  streams: { rid?: string; packetCount: number; score: number }[];
}

export interface ConsumerState {
  id: string;
  producerId: string;
  label: string;
  kind: string;
  type: string;
  paused: boolean;
  producerPaused: boolean;
  currentLayers: Layers;
  /** Every 'layerschange' the worker emitted for it, oldest first. */
  layersChanges: Layers[];
}

export interface RoomState {
  producers: ProducerState[];
  consumers: ConsumerState[];
  /** Producer ids the router itself still holds (router.dump()). */
  routerProducerIds: string[];
  dataProducers: number;
  dataConsumers: number;
}

/**
 * Records every consumer's 'layerschange' through mediasoup's observer chain
 * (worker -> router -> transport -> consumer). Install it before the server
 * creates its workers.
 */
export class LayersRecorder {
  readonly #changes = new Map<string, Layers[]>();

  constructor() {
    mediasoup.observer.on('newworker', (worker: types.Worker) => {
      worker.observer.on('newrouter', (router: types.Router) => {
        router.observer.on('newtransport', (transport: types.Transport) => {
          transport.observer.on('newconsumer', (consumer: types.Consumer) => {
            const changes: Layers[] = [];
            this.#changes.set(consumer.id, changes);
            consumer.observer.on('layerschange', (layers?: Layers) => changes.push(layers ?? null));
          });
        });
      });
    });
  }

  changes(consumerId: string): Layers[] {
    return [...(this.#changes.get(consumerId) ?? [])];
  }
}

function label(appData: unknown): string {
  const client = (appData as { client?: { label?: unknown } } | undefined)?.client;
  return typeof client?.label === 'string' ? client.label : '';
}

export async function roomState(
  sfu: SfuServer,
  roomId: string,
  recorder: LayersRecorder,
): Promise<RoomState | undefined> {
  const room = sfu.room(roomId);
  if (!room) return undefined;
  const state: RoomState = {
    producers: [],
    consumers: [],
    routerProducerIds: [],
    dataProducers: 0,
    dataConsumers: 0,
  };
  for (const peer of room.peers) {
    for (const producer of peer.producers.values()) {
      const stats = await producer.getStats().catch(() => []);
      state.producers.push({
        id: producer.id,
        label: label(producer.appData),
        kind: producer.kind,
        type: producer.type,
        paused: producer.paused,
        score: producer.score.map(({ rid, ssrc, score }) => ({
          ...(rid ? { rid } : {}),
          ssrc,
          score,
        })),
        streams: stats.map((s) => ({
          ...(s.rid ? { rid: s.rid } : {}),
          packetCount: s.packetCount,
          score: s.score,
        })),
      });
    }
    for (const consumer of peer.consumers.values()) {
      const producer = [...room.peers]
        .flatMap((p) => [...p.producers.values()])
        .find((p) => p.id === consumer.producerId);
      state.consumers.push({
        id: consumer.id,
        producerId: consumer.producerId,
        label: producer ? label(producer.appData) : '',
        kind: consumer.kind,
        type: consumer.type,
        paused: consumer.paused,
        producerPaused: consumer.producerPaused,
        currentLayers: (consumer.currentLayers as Layers | undefined) ?? null,
        layersChanges: recorder.changes(consumer.id),
      });
    }
    state.dataProducers += peer.dataProducers.size;
    state.dataConsumers += peer.dataConsumers.size;
  }
  // The worker writes this map as [{ key, values }], or as {} while empty.
  const dump = (await room.router.dump()) as {
    mapProducerIdConsumerIds: { key: string }[] | Record<string, unknown>;
  };
  const map = dump.mapProducerIdConsumerIds;
  state.routerProducerIds = Array.isArray(map) ? map.map((entry) => entry.key) : Object.keys(map);
  return state;
}
