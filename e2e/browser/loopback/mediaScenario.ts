// The media loopback proof, shared by the Chromium and Firefox specs: what a
// page produces comes back through the real SFU and decodes, and each
// producer operation is seen by the server.
import { expect } from '@playwright/test';
import type { ProduceSpec, ReceivedStat } from './api.js';
import type { LoopbackDriver } from './driver.js';
import type { ConsumerState, ProducerState, RoomState } from './serverState.js';

export interface MediaScenarioOptions {
  room: string;
  /** Camera size; simulcast needs enough pixels for the browser to send three layers. */
  width: number;
  height: number;
  simulcast: boolean;
  /** VP9 with this scalability mode, or false when the browser cannot send it. */
  svc: string | false;
  /**
   * Whether `replaceTrack(null)` stops the browser's RTP (Chromium). Firefox
   * keeps the stream alive, so there the worker's score cannot show it.
   */
  nullTrackStopsRtp: boolean;
}

/** Three layers, lowest first, as applications usually ask for them. */
export const SIMULCAST_ENCODINGS = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];

export function produceSpecs(options: MediaScenarioOptions): ProduceSpec[] {
  const specs: ProduceSpec[] = [
    { label: 'audio', kind: 'audio' },
    { label: 'video', kind: 'video' },
  ];
  if (options.simulcast)
    specs.push({ label: 'simulcast', kind: 'video', encodings: SIMULCAST_ENCODINGS });
  if (options.svc) {
    specs.push({
      label: 'svc',
      kind: 'video',
      codecMimeType: 'video/VP9',
      encodings: [{ scalabilityMode: options.svc }],
    });
  }
  return specs;
}

export function producerNamed(state: RoomState, label: string): ProducerState | undefined {
  return state.producers.find((p) => p.label === label);
}

export function consumerNamed(state: RoomState, label: string): ConsumerState | undefined {
  return state.consumers.find((c) => c.label === label);
}

/** What says "media arrives" for a consumer: decoded frames for video, packets for audio. */
function progress(stat: ReceivedStat): number {
  return stat.kind === 'video' ? stat.framesDecoded : stat.packetsReceived;
}

async function receivedByLabel(driver: LoopbackDriver): Promise<Map<string, ReceivedStat>> {
  return new Map((await driver.call('receivedStats')).map((stat) => [stat.label, stat]));
}

/** Polls until every labelled consumer has moved `step` beyond its figure now. */
export async function expectFlowing(
  driver: LoopbackDriver,
  labels: string[],
  step = 10,
): Promise<void> {
  await expect
    .poll(async () => [...(await receivedByLabel(driver)).keys()].sort(), { timeout: 20_000 })
    .toEqual(expect.arrayContaining(labels));
  const before = await receivedByLabel(driver);
  await expect
    .poll(
      async () => {
        const now = await receivedByLabel(driver);
        return labels.filter((label) => {
          const stat = now.get(label);
          return !stat || progress(stat) < progress(before.get(label)!) + step;
        });
      },
      { message: 'consumers whose media did not grow', timeout: 30_000 },
    )
    .toEqual([]);
}

export async function runMediaLoopback(
  driver: LoopbackDriver,
  options: MediaScenarioOptions,
): Promise<void> {
  const { room } = options;
  const state = () => driver.state(room);
  await driver.call('start', room, { width: options.width, height: options.height });
  const specs = produceSpecs(options);
  const ids = await driver.call('produce', specs);
  await driver.call('produceData', 'chat');
  const labels = specs.map((spec) => spec.label);

  // 1. Everything comes back: frames decoded, audio packets received.
  await expectFlowing(driver, labels);
  const server = await state();
  expect(producerNamed(server, 'audio')?.type).toBe('simple');
  expect(producerNamed(server, 'video')?.type).toBe('simple');
  expect(consumerNamed(server, 'video')?.type).toBe('simple');
  if (options.simulcast) {
    expect(producerNamed(server, 'simulcast')?.type).toBe('simulcast');
    expect(consumerNamed(server, 'simulcast')?.type).toBe('simulcast');
    // All three RIDs reach the worker.
    await expect
      .poll(async () =>
        (producerNamed(await state(), 'simulcast')?.streams ?? [])
          .filter((s) => s.packetCount > 0)
          .map((s) => s.rid)
          .sort(),
      )
      .toEqual(['r0', 'r1', 'r2']);
  }
  if (options.svc) {
    expect(producerNamed(server, 'svc')?.type).toBe('svc');
    expect(consumerNamed(server, 'svc')?.type).toBe('svc');
    // The consumer forwards the top spatial layer: the SVC stream really has three.
    await expect
      .poll(async () => consumerNamed(await state(), 'svc')?.currentLayers?.spatialLayer)
      .toBe(2);
  }

  // 2. Data: every message arrives, in order.
  await expect.poll(() => driver.call('dataConsumerOpen', 'chat')).toBe(true);
  await driver.call('sendData', 'chat', 20);
  await expect
    .poll(() => driver.call('dataReceived', 'chat'))
    .toEqual(Array.from({ length: 20 }, (_, i) => `chat #${i}`));

  // 3. Pause and resume reach the server's producer and its consumer.
  await driver.call('pause', 'video');
  await expect
    .poll(async () => {
      const s = await state();
      return [producerNamed(s, 'video')?.paused, consumerNamed(s, 'video')?.producerPaused];
    })
    .toEqual([true, true]);
  await driver.call('resume', 'video');
  await expect
    .poll(async () => {
      const s = await state();
      return [producerNamed(s, 'video')?.paused, consumerNamed(s, 'video')?.producerPaused];
    })
    .toEqual([false, false]);
  await expectFlowing(driver, ['video']);

  // 4. replaceTrack. To no track: the worker scores the stream 0 (nothing
  //    arrives) where the browser stops sending. To a smaller camera track:
  //    the score is back above 0 and the receiver decodes the new size.
  if (options.nullTrackStopsRtp) {
    expect(await driver.call('replaceTrack', 'video', 'none')).toBeNull();
    await expect
      .poll(async () => producerNamed(await state(), 'video')?.score.map((s) => s.score), {
        timeout: 20_000,
      })
      .toEqual([0]);
  }
  const width = async () => (await receivedByLabel(driver)).get('video')?.frameWidth ?? 0;
  // Half of what decodes now (the sender may have adapted the size already).
  const before = await width();
  expect(before).toBeGreaterThanOrEqual(160);
  const half = { width: 2 * Math.floor(before / 4), height: 2 * Math.floor((before * 9) / 32) };
  const newTrackId = await driver.call('replaceTrack', 'video', half);
  expect(await driver.call('producerTrackId', 'video')).toBe(newTrackId);
  await expect
    .poll(async () => producerNamed(await state(), 'video')?.score[0]?.score ?? 0, {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
  await expect.poll(width, { timeout: 20_000 }).toBeLessThanOrEqual(half.width);
  await expectFlowing(driver, ['video']);

  // 5. setMaxSpatialLayer: the browser stops the upper RIDs, the worker's
  //    simulcast consumer drops to layer 0 ('layerschange'), then climbs back.
  //    "Above 0" rather than "2": a CPU-starved browser (2 shared cores) may
  //    send only two of the three layers, which still shows the switch.
  if (options.simulcast) {
    const spatial = async () =>
      consumerNamed(await state(), 'simulcast')?.currentLayers?.spatialLayer ?? -1;
    await expect.poll(spatial, { timeout: 30_000 }).toBeGreaterThan(0);
    await driver.call('setMaxSpatialLayer', 'simulcast', 0);
    await expect.poll(spatial, { timeout: 30_000 }).toBe(0);
    const changes = consumerNamed(await state(), 'simulcast')?.layersChanges ?? [];
    expect(changes.at(-1)?.spatialLayer).toBe(0);
    expect(changes.some((layers) => (layers?.spatialLayer ?? 0) > 0)).toBe(true);
    await driver.call('setMaxSpatialLayer', 'simulcast', 2);
    await expect.poll(spatial, { timeout: 30_000 }).toBeGreaterThan(0);
  }

  // 6. close: the router no longer holds the producer, nor anyone its consumer.
  const videoId = ids.video!;
  expect((await state()).routerProducerIds).toContain(videoId);
  await driver.call('close', 'video');
  await expect
    .poll(async () => {
      const s = await state();
      return {
        inRouter: s.routerProducerIds.includes(videoId),
        producer: producerNamed(s, 'video') !== undefined,
        consumer: consumerNamed(s, 'video') !== undefined,
      };
    })
    .toEqual({ inRouter: false, producer: false, consumer: false });
  // The others keep flowing.
  await expectFlowing(
    driver,
    labels.filter((label) => label !== 'video'),
    5,
  );
}
