import { expect, test } from '@playwright/test';
import {
  closePair,
  mediaIds,
  networkChangeTrial,
  openPair,
  outageTrial,
  type PairRoom,
  type Rig,
  readProbe,
  serverPeer,
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
    // "Never stop": the media path is never cut here, so media that stopped
    // would stay stopped until an ICE restart (seconds); the bound is that
    // generous because this 2-core machine stalls pages for 1-2 s at times.
    expect(result.longestGapMs).toBeLessThan(3000);
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

test('a 90 s outage, past the 60 s resume window, comes back by itself: a full rejoin', async () => {
  test.setTimeout(180_000);
  const pair = await openPair(rig!, 'outage90');
  try {
    const result = await outageTrial(rig!, pair, 90_000, 60_000);
    console.log(`90 s outage: ${JSON.stringify({ ...result, idsChanged: undefined })}`);
    expect(result.mediaGapMs).toBeGreaterThan(89_000);
    expect(result.recovered).toBe(true);
    // The server ended the session after the window: only a rejoin can bring it back.
    expect(result.how).toContain('rejoined');
  } finally {
    await closePair(pair);
  }
});

// Last: the cut client stays on its second link afterwards.
test('network change (address moves to another subnet and link): media back on the new path, no rejoin', async () => {
  test.setTimeout(90_000);
  const pair = await openPair(rig!, 'netchange');
  try {
    const before = await networkChangeIds(pair);
    const result = await networkChangeTrial(rig!, pair);
    console.log(`network change: ${JSON.stringify(result)}`);
    expect(result.recovered).toBe(true);
    // The server now talks to the client's new address on every transport.
    const peer = serverPeer(rig!, 'netchange', pair.cutName);
    await expect
      .poll(() =>
        [...peer.transports.values()].map(({ transport }) => transport.iceSelectedTuple?.remoteIp),
      )
      .toEqual(['10.77.41.2', '10.77.41.2']);
    // The signaling socket was bound to the old address: the room notices
    // (heartbeat) and resumes its session; ids unchanged, nobody rejoined.
    await expect
      .poll(async () => (await readProbe(pair.cutPage)).reconnects.map((r) => r.how), {
        timeout: 30_000,
      })
      .toEqual(['resumed']);
    expect(await networkChangeIds(pair)).toEqual(before);
    expect(result.rejoins).toBe(0);
    expect(result.idsKept).toBe(true);
  } finally {
    await closePair(pair);
  }
});

async function networkChangeIds(pair: PairRoom) {
  return { host: await mediaIds(pair.hostPage), cut: await mediaIds(pair.cutPage) };
}
