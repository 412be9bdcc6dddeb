import { expect, test } from '@playwright/test';
import {
  closePair,
  networkChangeTrial,
  openPair,
  outageTrial,
  type Rig,
  signalingDropTrial,
  startRig,
} from '../support/recoveryRig.js';

// Issue 7, "calls survive network drops": one Chromium runs inside its own
// network namespace (support/cutClient.ts, `recov` 10.77.40/24, second link
// 10.77.41/24) and its link alone is cut; the other Chromium, on the host,
// stays connected. The server is the example's, in this process, listening
// on the host end of the cut client's veth. Each test opens its own room
// and measures from the moment the link is back to the first new decoded
// frame on each side (support/recoveryRig.ts). Times are printed, not gated
// (shared 2-core machine): the targets are checked by `pnpm bench:recovery`.

let rig: Rig | undefined;

test.beforeAll(async () => {
  rig = await startRig({ name: 'recov', primary: '10.77.40', secondary: '10.77.41' });
});

test.afterAll(async () => {
  await rig?.close();
});

test('a 5 s outage of one client: media back both ways, same producers and consumers (resumed, no rejoin)', async () => {
  test.setTimeout(90_000);
  const pair = await openPair(rig!, 'outage5');
  try {
    const result = await outageTrial(rig!, pair, 5_000);
    console.log(`5 s outage: ${JSON.stringify(result)}`);
    // The cut was real: the host saw no frame of the cut client for about the outage.
    expect(result.mediaGapMs).toBeGreaterThan(4_000);
    expect(result.recovered).toBe(true);
    expect(result.rejoins).toBe(0);
    expect(result.idsKept).toBe(true);
  } finally {
    await closePair(pair);
  }
});

test('signaling drop (server closes the WebSocket, media path up): resumed, frames keep coming', async () => {
  test.setTimeout(90_000);
  const pair = await openPair(rig!, 'sigdrop');
  try {
    const result = await signalingDropTrial(rig!, pair, 'sigdrop');
    console.log(`signaling drop: ${JSON.stringify(result)}`);
    expect(result.recovered).toBe(true);
    expect(result.how).toEqual(['resumed']);
    expect(result.idsKept).toBe(true);
    // "Never stop": the generous bound only separates a hiccup from media that
    // stopped and restarted (an outage of media would last seconds).
    expect(result.longestGapMs).toBeLessThan(1500);
  } finally {
    await closePair(pair);
  }
});

test('a 30 s outage of one client comes back by itself', async () => {
  test.setTimeout(120_000);
  const pair = await openPair(rig!, 'outage30');
  try {
    const result = await outageTrial(rig!, pair, 30_000);
    console.log(`30 s outage: ${JSON.stringify(result)}`);
    expect(result.mediaGapMs).toBeGreaterThan(29_000);
    expect(result.recovered).toBe(true);
  } finally {
    await closePair(pair);
  }
});

// Last: the cut client stays on its second link afterwards.
test('network change (address moves to another subnet and link): ICE restart, media back, no rejoin', async () => {
  test.setTimeout(90_000);
  const pair = await openPair(rig!, 'netchange');
  try {
    const result = await networkChangeTrial(rig!, pair);
    console.log(`network change: ${JSON.stringify(result)}`);
    expect(result.recovered).toBe(true);
    expect(result.rejoins).toBe(0);
    expect(result.idsKept).toBe(true);
  } finally {
    await closePair(pair);
  }
});
