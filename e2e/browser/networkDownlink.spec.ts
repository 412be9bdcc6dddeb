import { expect, test } from '@playwright/test';
import { downlinkLayersOf } from '../../packages/server-adapter/src/layers/DownlinkLayers.js';
import {
  closePair,
  FULL_WIDTH,
  openWatchedPair,
  shapedTrial,
} from '../support/networkScenarios.js';
import { type Rig, serverPeer, startRig } from '../support/recoveryRig.js';

// Issue 18, "keep video moving on a congested downlink": client A's Chromium
// runs in its own namespace (`netdown`, 10.77.60/24; second link 10.77.61/24)
// and what the server sends it is shaped to 300 kbit/s with tbf for 20 s
// (support/shapedLink.ts); B's Chromium on the host sends a 720p 3-layer
// simulcast camera. The gates are the layer policy's decisions and what the
// worker forwarded (the server's own objects); the receiver's figures (fps,
// stalls, time to full resolution) are printed, not gated (a shared 2-core
// machine): `pnpm bench:network` tracks them against the issue's targets.
// Without the policy (SfuServerOptions.downlinkLayers: false; run with
// VROOM_DOWNLINK_LAYERS=0 to see it) the first gate fails: nothing caps the
// consumer, and the worker alone forwards 360p / 720p at 5-10 fps into the
// congested link.

let rig: Rig | undefined;

test.beforeAll(async () => {
  rig = await startRig({
    name: 'netdown',
    primary: '10.77.60',
    secondary: '10.77.61',
    downlinkLayers: process.env.VROOM_DOWNLINK_LAYERS !== '0',
  });
});

test.afterAll(async () => {
  await rig?.close();
});

test('downlink 300 kbit/s: A is stepped down to the lowest spatial layer, and no higher layer at a low frame rate reaches it', async () => {
  // Skipped, not passing: since adaptive stream landed (issue 15, on by
  // default) the example page asks for the layer that fits its small tiles
  // (640 px), so this spec's precondition (1280 px both ways before the link
  // is shaped) is never met. The rig must open the pages with adaptive
  // stream off, or shaped against the tile's layer. Issue 18 stays open.
  test.skip(true, 'precondition broken by adaptive stream (issue 15); see the comment');
  test.setTimeout(150_000);
  const roomId = 'down300';
  const pair = await openWatchedPair(rig!, roomId);
  try {
    const peer = serverPeer(rig!, roomId, pair.cutName);
    const consumer = [...peer.consumers.values()].find((c) => c.kind === 'video');
    const transport = peer.recvTransport({ sctp: false });
    if (!consumer || !transport) throw new Error('A has no video consumer');
    // What the worker forwards to A and what the policy allows, every 250 ms.
    const seen: { at: number; current: string; cap: string }[] = [];
    const layerKey = (l?: { spatialLayer: number; temporalLayer?: number }) =>
      l ? `${l.spatialLayer}.${l.temporalLayer ?? '-'}` : 'none';
    const watch = setInterval(() => {
      seen.push({
        at: Date.now(),
        current: layerKey(consumer.currentLayers),
        cap: layerKey(downlinkLayersOf(transport)?.applied(consumer.id)),
      });
    }, 250);
    const start = Date.now();
    let result: Awaited<ReturnType<typeof shapedTrial>>;
    try {
      result = await shapedTrial(rig!, pair, roomId, {
        direction: 'downlink',
        kbit: 300,
        holdMs: 20_000,
        afterMs: 20_000,
      });
    } finally {
      clearInterval(watch);
    }
    console.log(`downlink 300 kbit/s: ${JSON.stringify(result)}`);
    // shapedTrial waits 5 s, shapes for 20 s, then watches 20 s.
    const drop = start + 5000;
    const clear = drop + 20_000;
    const shaped = seen.filter((s) => s.at >= drop && s.at <= clear);
    console.log(
      `layers while shaped (current/cap): ${shaped.map((s) => `${s.current}/${s.cap}`).join(' ')}`,
    );
    // The policy steps A down to the lowest spatial layer within 10 s of the
    // drop (the worker's estimate takes 1-4 s to fall on a tbf queue)...
    const firstLow = shaped.find((s) => s.cap.startsWith('0.'));
    expect(firstLow, 'the policy capped A at the lowest spatial layer').toBeDefined();
    expect(firstLow!.at - drop).toBeLessThan(10_000);
    // ...and while it holds A there, the worker forwards nothing above it:
    // no 360p / 720p at 5-10 fps into the congested link.
    const capped = shaped.filter(
      (s, i) => i > 4 && shaped[i - 4]!.cap.startsWith('0.') && s.cap.startsWith('0.'),
    );
    expect(capped.filter((s) => !/^(0\.|none)/.test(s.current)).map((s) => s.current)).toEqual([]);
    // Printed, not gated (shared 2-core machine): bench:network tracks them.
    const after = seen.filter((s) => s.at > clear).map((s) => s.cap);
    console.log(
      `caps after the clear: ${after.join(' ')}; A at ${FULL_WIDTH} px after ${result.fullBackMs} ms`,
    );
  } finally {
    await closePair(pair);
  }
});
