import { expect, type Page, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { expectVideoFrom, openRoom, serverConsumer, serverPeer, tile } from './videoRoomSteps.js';

// Issue 15 in real Chromium on the example page and the real worker: no
// ghosts (close leaves, reload keeps the seat, a lost link shows as
// reconnecting), a paused camera sends nothing, a hidden tile is paused at
// the server. Observed at the server (its peers, producers' byte counts,
// consumers' paused flag) and on the other page's tiles.

const ROOM = 'presence';
let server: VideoRoomServer;
let alice: Page;
let bob: Page;

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0 });
});
test.afterAll(async () => {
  for (const page of [alice, bob]) await page?.context().close();
  await server?.close();
});

/** Bytes the server received on bob's camera producer so far (all simulcast layers). */
async function cameraBytes(): Promise<number> {
  const producer = [...(serverPeer(server, ROOM, 'bob')?.producers.values() ?? [])].find(
    (p) => p.kind === 'video',
  );
  if (!producer) throw new Error('bob has no camera producer');
  const stats = await producer.getStats();
  return stats.reduce((sum, s) => sum + (s.byteCount ?? 0), 0);
}

test('presence and cost: paused camera, hidden tile, reconnecting, reload, close', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  alice = await openRoom(browser, server, ROOM, 'alice');
  bob = await openRoom(browser, server, ROOM, 'bob');
  await expectVideoFrom(alice, ['bob']);
  await expectVideoFrom(bob, ['alice']);

  await test.step('a paused camera sends no video RTP on any layer (server producer stats)', async () => {
    await bob.click('#camera');
    await expect(tile(alice, 'bob')).toHaveAttribute('data-video', 'paused');
    await bob.waitForTimeout(1_000); // packets in flight
    const before = await cameraBytes();
    await bob.waitForTimeout(3_000);
    const paused = (await cameraBytes()) - before;
    console.log(`paused camera: ${paused} bytes in 3 s at the server`);
    expect(paused).toBe(0);
    await bob.click('#camera');
    await expect(tile(alice, 'bob')).toHaveAttribute('data-video', 'live');
    const resumedFrom = await cameraBytes();
    await expect.poll(async () => (await cameraBytes()) - resumedFrom).toBeGreaterThan(10_000);
  });

  await test.step('a hidden tile is paused at the server, and resumed when shown', async () => {
    const consumer = () => serverConsumer(server, ROOM, 'alice', 'bob', 'camera');
    await expect.poll(() => consumer()?.paused).toBe(false);
    await tile(alice, 'bob').evaluate((el) => {
      (el as HTMLElement).style.display = 'none';
    });
    await expect.poll(() => consumer()?.paused, { timeout: 10_000 }).toBe(true);
    await tile(alice, 'bob').evaluate((el) => {
      (el as HTMLElement).style.display = '';
    });
    await expect.poll(() => consumer()?.paused, { timeout: 10_000 }).toBe(false);
  });

  await test.step('a lost link shows bob as reconnecting at alice, then live again', async () => {
    await tile(alice, 'bob').evaluate((el) => {
      const seen: string[] = [];
      (window as unknown as { presenceSeen: string[] }).presenceSeen = seen;
      new MutationObserver(() => seen.push((el as HTMLElement).dataset.presence ?? '')).observe(
        el,
        { attributes: true, attributeFilter: ['data-presence'] },
      );
    });
    // The server loses bob's socket (no close frame: a cut link); bob resumes by itself.
    serverPeer(server, ROOM, 'bob')?.dropConnection(4002, 'test: link cut');
    await expect
      .poll(() =>
        alice.evaluate(() => (window as unknown as { presenceSeen: string[] }).presenceSeen),
      )
      .toEqual(['reconnecting', 'connected']);
    await expect(tile(alice, 'bob')).toHaveAttribute('data-presence', 'connected');
  });

  await test.step('a reload keeps the seat: same peer id, one tile, video back', async () => {
    const before = serverPeer(server, ROOM, 'bob')?.id;
    expect(before).toBeTruthy();
    await bob.reload();
    await expect(bob.locator('#status')).toHaveText('connected');
    await expectVideoFrom(alice, ['bob']);
    expect(serverPeer(server, ROOM, 'bob')?.id).toBe(before);
    await expect(alice.locator('#grid figure.tile')).toHaveCount(2);
    await expect(bob.locator('#grid figure.tile')).toHaveCount(2);
    expect(server.sfu.room(ROOM)?.peers.length).toBe(2);
  });

  await test.step('closing the page leaves at once (the reload grace, not the resume window)', async () => {
    const closedAt = Date.now();
    await bob.close();
    await expect(tile(alice, 'bob')).toHaveCount(0, { timeout: 15_000 });
    const goneAfterMs = Date.now() - closedAt;
    console.log(`closed tab gone at the others after ${goneAfterMs} ms`);
    expect(server.sfu.room(ROOM)?.peers.length).toBe(1);
  });
});
