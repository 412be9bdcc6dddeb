import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { DEFAULT_HEARTBEAT, Heartbeat, PROBE_TIMEOUT_MS } from './Heartbeat.js';

// Mocked clock: the defaults (ping every 2 s, dead after 5 s of silence) are
// specified without waiting for them.
describe('Heartbeat', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] }));
  afterEach(() => mock.timers.reset());

  function start(answer: () => boolean) {
    const deaths: number[] = [];
    let pings = 0;
    const heartbeat: Heartbeat = new Heartbeat({
      ...DEFAULT_HEARTBEAT,
      ping: async () => {
        pings++;
        if (answer()) heartbeat.heard();
      },
      onDead: (silentMs) => deaths.push(silentMs),
    });
    heartbeat.start();
    return { heartbeat, deaths, pings: () => pings };
  }

  it('pings every 2 s and keeps a server that answers alive', async () => {
    const { heartbeat, deaths, pings } = start(() => true);
    for (let i = 0; i < 30; i++) {
      mock.timers.tick(1000);
      await Promise.resolve();
    }
    assert.equal(pings(), 15);
    assert.deepEqual(deaths, []);
    heartbeat.stop();
  });

  it('notices a server gone silent within 6 s of its last message (5 s)', async () => {
    let alive = true;
    const { deaths } = start(() => alive);
    mock.timers.tick(2000); // a ping, answered: the last message
    await Promise.resolve();
    const lastHeard = Date.now();
    alive = false;
    let noticedAt: number | undefined;
    for (let ms = 0; ms < 10_000 && noticedAt === undefined; ms += 100) {
      mock.timers.tick(100);
      await Promise.resolve();
      if (deaths.length > 0) noticedAt = Date.now();
    }
    assert.ok(noticedAt !== undefined, 'declared dead');
    assert.ok(
      noticedAt - lastHeard <= 6000,
      `noticed ${noticedAt - lastHeard} ms after the last message`,
    );
    assert.equal(deaths.length, 1, 'once');
  });

  it('after a freeze (watchdog far too late) pings once more before declaring death', async () => {
    const { deaths, pings } = start(() => false);
    // The process was frozen for 20 s (background tab, sleep): the clock jumped, no timer ran.
    mock.timers.setTime(Date.now() + 20_000);
    mock.timers.tick(5000); // the watchdog finally runs, 25 s after it was armed
    await Promise.resolve();
    assert.deepEqual(deaths, [], 'the silence was ours: not declared dead');
    const asked = pings();
    mock.timers.tick(5000); // a fair chance, still no answer
    await Promise.resolve();
    assert.equal(deaths.length, 1, 'dead after a watchdog that ran on time');
    assert.ok(asked >= 3, 'two interval pings and the extra one');
  });

  it('probe() after a network event: a silent server is dead 1.5 s later, not 5 s', async () => {
    let alive = true;
    const { heartbeat, deaths, pings } = start(() => alive);
    mock.timers.tick(2000); // answered ping: heard at t = 2 s
    await Promise.resolve();
    alive = false;
    heartbeat.probe(); // the link went away at t = 2 s
    assert.equal(pings(), 2, 'pinged at once');
    mock.timers.tick(PROBE_TIMEOUT_MS - 1);
    await Promise.resolve();
    assert.deepEqual(deaths, []);
    mock.timers.tick(1);
    await Promise.resolve();
    assert.deepEqual(deaths, [PROBE_TIMEOUT_MS]);
  });

  it('probe() on a live channel changes nothing: its answer re-arms the normal timeout', async () => {
    const { heartbeat, deaths } = start(() => true);
    mock.timers.tick(500);
    heartbeat.probe();
    await Promise.resolve();
    mock.timers.tick(60_000);
    await Promise.resolve();
    assert.deepEqual(deaths, []);
    heartbeat.stop();
  });

  it('stop() ends pings and the watchdog', async () => {
    const { heartbeat, deaths, pings } = start(() => false);
    heartbeat.stop();
    mock.timers.tick(60_000);
    await Promise.resolve();
    assert.equal(pings(), 0);
    assert.deepEqual(deaths, []);
  });
});
