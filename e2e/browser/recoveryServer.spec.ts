import { expect, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import {
  closePair,
  longestGap,
  measureBack,
  mediaIds,
  openPair,
  type PairRoom,
  type Rig,
  readProbe,
  startRig,
} from '../support/recoveryRig.js';

// Issue 7, server faults, on the example app in real Chromium: a mediasoup
// worker killed under a busy room (its peers come back by rejoining, a room
// on the other worker never stops), and a server gone for good (the room
// gives up with its typed reason, pending calls reject, tracks keep running).
// The worker-death rig is support/recoveryRig.ts (`recovw` 10.77.42/24, its
// unused second link 10.77.43/24); the give-up test has its own server on
// loopback. Times are printed, not gated: `pnpm bench:recovery` has targets.

test.describe('a worker dies', () => {
  let rig: Rig | undefined;
  test.beforeAll(async () => {
    rig = await startRig({
      name: 'recovw',
      primary: '10.77.42',
      secondary: '10.77.43',
      workers: 2,
    });
  });
  test.afterAll(async () => {
    await rig?.close();
  });

  test('SIGKILL of the busy room worker: its peers get media back, the room on the other worker never stops', async () => {
    test.setTimeout(120_000);
    let busy: PairRoom | undefined;
    let calm: PairRoom | undefined;
    try {
      busy = await openPair(rig!, 'busy');
      calm = await openPair(rig!, 'calm');
      const busyWorker = rig!.server.sfu.room('busy')!.worker;
      const calmWorker = rig!.server.sfu.room('calm')!.worker;
      expect(busyWorker.pid).not.toBe(calmWorker.pid);
      const before = { host: await mediaIds(busy.hostPage), cut: await mediaIds(busy.cutPage) };

      const killedAt = Date.now();
      process.kill(busyWorker.pid, 'SIGKILL');
      // The first frame after media stopped: frames in flight at the kill do not count.
      const result = await measureBack(busy, killedAt, before, 30_000, killedAt, 300);
      console.log(`worker death: ${JSON.stringify({ ...result, idsChanged: undefined })}`);
      expect(result.recovered).toBe(true);
      // The room died with its worker: the peers joined a new one (new ids).
      const how = [
        ...(await readProbe(busy.hostPage)).reconnects,
        ...(await readProbe(busy.cutPage)).reconnects,
      ].map((r) => r.how);
      expect(how).toContain('rejoined');
      expect(rig!.server.sfu.room('busy')!.worker.pid).not.toBe(busyWorker.pid);

      // The calm room: no recovery at all, frames all along.
      const end = killedAt + (result.backMs ?? 0) + 2000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
      const gaps = await Promise.all([
        longestGap(calm.hostPage, calm.cutName, killedAt, end),
        longestGap(calm.cutPage, calm.hostName, killedAt, end),
      ]);
      console.log(`calm room longest frame gap during the recovery: ${Math.max(...gaps)} ms`);
      // Never stopped: no recovery there (below), and frames all along. The
      // bound is loose on purpose: on this 2-core machine the calm pages
      // stall 2.0-2.6 s while the busy room rejoins and a replacement worker
      // starts (measured 2026-11-26); a stop would last until a reconnect.
      expect(Math.max(...gaps)).toBeLessThan(5000);
      for (const page of [calm.hostPage, calm.cutPage]) {
        const probe = await readProbe(page);
        expect(probe.reconnecting).toEqual([]);
      }
    } finally {
      if (busy) await closePair(busy);
      if (calm) await closePair(calm);
    }
  });
});

type GiveUpReport = {
  state: string;
  errors: string[];
  pending: string[];
  trackState: string | undefined;
  gaveUpAfterMs: number;
};

test.describe('the server is gone for good', () => {
  let server: VideoRoomServer | undefined;
  test.beforeAll(async () => {
    server = await startVideoRoomServer({ host: '127.0.0.1', port: 0, sfu: { workers: 1 } });
  });
  test.afterAll(async () => {
    await server?.close().catch(() => undefined);
  });

  test('the room gives up with RECONNECT_GAVE_UP, pending calls reject with it, the camera track the app gave keeps running', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const origin = new URL(server!.url).origin;
    await page.goto(`${origin}/?room=app&name=app`);
    await expect(page.locator('#status')).toHaveText('connected');
    // The page's class, driven directly to shorten its give-up time (the app has no option for it).
    await page.evaluate(
      async (url) => {
        const Room = window.vroom!.room
          .constructor as typeof import('@vroom/client/room').RoomClient;
        const room = new Room({
          url,
          roomId: 'giveup',
          displayName: 'direct',
          reconnect: { maxDurationMs: 3000 },
        });
        const log = { errors: [] as string[], states: [] as [string, number][] };
        room.on('error', (error) => log.errors.push(error.code));
        room.on('connectionstatechange', (state) => log.states.push([state, Date.now()]));
        await room.join();
        // The app's own track: a room leaves tracks it was given running (one it
        // captured itself it stops when it gives up, as leave() does).
        const [track] = (
          await navigator.mediaDevices.getUserMedia({ video: true })
        ).getVideoTracks();
        await room.enableCamera({ simulcast: false, ...(track ? { track } : {}) });
        Object.assign(window, { direct: { room, log } });
      },
      `${origin.replace('http', 'ws')}/ws`,
    );

    const goneAt = Date.now();
    await server!.close();
    const report: GiveUpReport = await page.evaluate(async () => {
      const { room, log } = (
        window as unknown as {
          direct: {
            room: import('@vroom/client/room').RoomClient;
            log: { errors: string[]; states: [string, number][] };
          };
        }
      ).direct;
      const track = room.localTrack('camera')?.track ?? undefined;
      const until = (state: string) =>
        new Promise<void>((resolve) => {
          if (room.connectionState === state) resolve();
          else room.on('connectionstatechange', (s) => s === state && resolve());
        });
      await until('reconnecting');
      // Calls made while reconnecting wait at the gate...
      const pending = [room.sendChat('anyone?'), room.pauseCamera()].map((call) =>
        call.then(
          () => 'resolved',
          (error: { code?: string }) => String(error.code),
        ),
      );
      await until('failed');
      const failedAt = log.states.find(([s]) => s === 'failed')?.[1] ?? 0;
      return {
        state: room.connectionState,
        errors: log.errors,
        // ...and reject with the give-up.
        pending: await Promise.all(pending),
        trackState: track?.readyState,
        gaveUpAfterMs: failedAt,
      };
    });
    report.gaveUpAfterMs -= goneAt;
    console.log(`server gone: ${JSON.stringify(report)}`);
    expect(report.state).toBe('failed');
    expect(report.errors).toContain('RECONNECT_GAVE_UP');
    expect(report.pending).toEqual(['RECONNECT_GAVE_UP', 'RECONNECT_GAVE_UP']);
    expect(report.trackState).toBe('live');
  });
});
