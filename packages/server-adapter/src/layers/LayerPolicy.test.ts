import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LayerPolicy, type Layers, ladder, type VideoConsumerView } from './LayerPolicy.js';
import { LAYER_POLICY } from './policyParameters.js';

const key = (l: Layers | undefined) => (l ? `${l.spatialLayer}.${l.temporalLayer}` : 'none');
/** Costs of a 720p 3x3 simulcast camera as the worker measured them (fixtures, kbit/s x 1000). */
const COSTS = { '0.0': 50_000, '0.1': 85_000, '0.2': 150_000, '1.2': 350_000, '2.2': 740_000 };
const camera = (id = 'cam', extra: Partial<VideoConsumerView> = {}): VideoConsumerView => ({
  id,
  spatialLayers: 3,
  temporalLayers: 3,
  costs: COSTS,
  priority: 1,
  ...extra,
});

/** Feeds one estimate per second from `from` for `seconds`, deciding after each; returns the caps. */
function run(
  policy: LayerPolicy,
  from: number,
  seconds: number,
  bps: number,
  videos = [camera()],
): string[] {
  const caps: string[] = [];
  for (let i = 0; i < seconds; i++) {
    const at = from + i * 1000;
    policy.addEstimate(at, bps);
    caps.push(key(policy.decide({ at, videos, audioCount: 1 }).get(videos[0]?.id ?? '')));
  }
  return caps;
}

describe('the ladder', () => {
  it('climbs the lowest spatial layer through its frame rates, then higher layers at full rate only', () => {
    assert.deepEqual(ladder(3, 3).map(key), ['0.0', '0.1', '0.2', '1.2', '2.2']);
    assert.deepEqual(ladder(1, 1).map(key), ['0.0']);
    assert.deepEqual(ladder(2, 1).map(key), ['0.0', '1.0']);
  });
});

describe('LayerPolicy', () => {
  it('decides nothing before the first estimate (the worker alone decides)', () => {
    const policy = new LayerPolicy();
    assert.equal(policy.decide({ at: 0, videos: [camera()], audioCount: 1 }).size, 0);
  });

  it('steps down at once, spatial first: 180p at full frame rate before 360p at 5 fps', () => {
    const policy = new LayerPolicy();
    const high = run(policy, 0, 8, 2_000_000);
    assert.equal(high.at(-1), '2.2');
    // 300 kbit/s: 150k (0.2) + 35k audio fits; 350k (1.2) does not; 1.0 is never offered.
    const shaped = run(policy, 8000, 5, 300_000);
    assert.deepEqual(shaped, ['0.2', '0.2', '0.2', '0.2', '0.2']);
  });

  it('keeps the lowest layer however low the estimate falls (video is never capped away)', () => {
    const policy = new LayerPolicy();
    run(policy, 0, 5, 1_000_000);
    assert.deepEqual(run(policy, 5000, 3, 40_000), ['0.0', '0.0', '0.0']);
  });

  it('goes back up one rung at a time, each only after the estimate held for upgradeStableMs with headroom', () => {
    const policy = new LayerPolicy();
    run(policy, 0, 4, 300_000);
    const caps = run(policy, 4000, 20, 2_000_000);
    const firstUp = caps.findIndex((c) => c !== '0.2');
    // Downgrade hold and stable window both pass before the first step.
    assert.ok(firstUp * 1000 >= LAYER_POLICY.upgradeStableMs, `first step after ${firstUp} s`);
    // Each step is one rung: 0.2 -> 1.2 -> 2.2, never straight to 2.2.
    const distinct = caps.filter((c, i) => c !== caps[i - 1]);
    assert.deepEqual(distinct, ['0.2', '1.2', '2.2']);
  });

  it('does not go up while the receiver reports losses', () => {
    const policy = new LayerPolicy();
    run(policy, 0, 6, 300_000);
    const caps: string[] = [];
    for (let i = 0; i < 10; i++) {
      const at = 6000 + i * 1000;
      policy.addEstimate(at, 2_000_000);
      policy.reportScore('cam', at, 7);
      caps.push(key(policy.decide({ at, videos: [camera()], audioCount: 1 }).get('cam')));
    }
    assert.deepEqual(new Set(caps), new Set(['0.2']));
    // Losses stop: it goes up once the quiet period has passed.
    const after = run(policy, 16_000, 8, 2_000_000);
    assert.ok(after.includes('1.2'), after.join(' '));
  });

  it('steps down one rung on heavy loss without waiting for the estimate to fall', () => {
    const policy = new LayerPolicy();
    assert.equal(run(policy, 0, 6, 2_000_000).at(-1), '2.2');
    policy.reportScore('cam', 6000, 3);
    assert.deepEqual(run(policy, 6000, 1, 2_000_000), ['1.2']);
    // Still losing 1 s later: held (one step per heavyLossStepMs), then the next step.
    policy.reportScore('cam', 7000, 3);
    assert.deepEqual(run(policy, 7000, 1, 2_000_000), ['1.2']);
    policy.reportScore('cam', 8000, 2);
    assert.deepEqual(run(policy, 8000, 1, 2_000_000), ['0.2']);
  });

  it('does not go up on an estimate that jumps around (the lowest of the window counts)', () => {
    const policy = new LayerPolicy();
    run(policy, 0, 6, 300_000);
    const caps: string[] = [];
    for (let i = 0; i < 12; i++) {
      const at = 6000 + i * 1000;
      policy.addEstimate(at, i % 2 === 0 ? 2_000_000 : 300_000);
      caps.push(key(policy.decide({ at, videos: [camera()], audioCount: 1 }).get('cam')));
    }
    assert.deepEqual(new Set(caps), new Set(['0.2']));
  });

  it("stays at or below the client's own cap", () => {
    const policy = new LayerPolicy();
    const capped = camera('cam', { cap: { spatialLayer: 1, temporalLayer: 15 } });
    const caps = run(policy, 0, 10, 5_000_000, [capped]);
    assert.equal(caps.at(-1), '1.2');
  });

  it('gives a screen share (higher priority) its rungs before a camera', () => {
    const policy = new LayerPolicy();
    const videos = [camera('cam'), camera('screen', { priority: 2 })];
    for (let i = 0; i < 6; i++) policy.addEstimate(i * 1000, 600_000);
    const caps = policy.decide({ at: 5000, videos, audioCount: 1 });
    // 600k x 0.85 - 35k audio = 475k: screen 1.2 (350k) + camera 0.1 (85k); not both at 0.2.
    assert.equal(key(caps.get('screen')), '1.2');
    assert.equal(key(caps.get('cam')), '0.1');
  });

  it('reserves room for every audio consumer on the transport', () => {
    const policy = new LayerPolicy();
    for (let i = 0; i < 6; i++) policy.addEstimate(i * 1000, 220_000);
    const one = policy.decide({ at: 5000, videos: [camera('a')], audioCount: 1 });
    assert.equal(key(one.get('a')), '0.2');
    const other = new LayerPolicy();
    for (let i = 0; i < 6; i++) other.addEstimate(i * 1000, 220_000);
    const many = other.decide({ at: 5000, videos: [camera('a')], audioCount: 2 });
    assert.equal(key(many.get('a')), '0.1');
  });

  it('ignores junk estimates and keeps its history bounded', () => {
    const policy = new LayerPolicy();
    policy.addEstimate(0, Number.NaN);
    policy.addEstimate(0, -5);
    assert.equal(policy.estimate, undefined);
    for (let i = 0; i < 10_000; i++) policy.addEstimate(i, 100_000 + i);
    assert.equal(policy.estimate, 109_999);
  });
});

// --- Replays of real BWE traces ------------------------------------------------
//
// Recorded on the real worker with `pnpm bench:network --record=<dir>`: a
// Chromium receiver behind a tbf-shaped link, the server's estimates,
// scores, layers and measured layer costs (e2e/support/bweRecorder.ts).

interface Trace {
  scenario: string;
  shapedAt: number;
  clearedAt: number;
  audioCount: number;
  videos: { id: string; spatialLayers: number; temporalLayers: number }[];
  events: (
    | { t: number; type: 'bwe'; bps: number }
    | { t: number; type: 'score'; id: string; score: number }
    | { t: number; type: 'layers'; id: string; layers: string }
    | { t: number; type: 'costs'; id: string; costs: Record<string, number> }
  )[];
}

const fixtures = new URL('./fixtures/', import.meta.url);
const traces = readdirSync(fixtures)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({
    name,
    trace: JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Trace,
  }));

/** Replays a trace through a fresh policy, deciding after every event as DownlinkLayers does. */
function replay(trace: Trace) {
  const policy = new LayerPolicy();
  const costs = new Map<string, Record<string, number>>();
  const caps: { t: number; estimate: number; cap: string; cost: number; lossAt: number }[] = [];
  let lossAt = -Infinity;
  for (const event of trace.events) {
    if (event.type === 'bwe') policy.addEstimate(event.t, event.bps);
    else if (event.type === 'score') {
      policy.reportScore(event.id, event.t, event.score);
      if (event.score < LAYER_POLICY.lossScoreBelow) lossAt = event.t;
    } else if (event.type === 'costs') costs.set(event.id, event.costs);
    else continue;
    const videos = trace.videos.map((v): VideoConsumerView => {
      const measured = costs.get(v.id);
      return { ...v, priority: 1, ...(measured ? { costs: measured } : {}) };
    });
    const decided = policy.decide({ at: event.t, videos, audioCount: trace.audioCount });
    const first = trace.videos[0];
    if (!first || policy.estimate === undefined) continue;
    const cap = key(decided.get(first.id));
    const cost = costs.get(first.id)?.[cap] ?? LAYER_POLICY.fallbackCostBps[cap] ?? 0;
    caps.push({ t: event.t, estimate: policy.estimate, cap, cost, lossAt });
  }
  return caps;
}

describe('LayerPolicy over recorded traces', () => {
  it('has recorded traces to replay', () => {
    assert.ok(traces.length >= 2, `fixtures: ${traces.map((t) => t.name).join(', ')}`);
  });

  for (const { name, trace } of traces) {
    describe(`${name} (${trace.scenario})`, () => {
      const caps = replay(trace);
      const rungs = new Set(ladder(3, 3).map(key));

      it('only ever allows rungs of the ladder, and always some video', () => {
        for (const c of caps) assert.ok(rungs.has(c.cap), `${c.cap} at ${c.t}`);
      });

      it('never steps up within the quiet period after a reported loss', () => {
        const order = [...rungs];
        for (let i = 1; i < caps.length; i++) {
          const [before, now] = [caps[i - 1]!, caps[i]!];
          if (order.indexOf(now.cap) > order.indexOf(before.cap)) {
            assert.ok(
              now.t - now.lossAt >= LAYER_POLICY.upgradeQuietAfterLossMs,
              `up to ${now.cap} at ${now.t} ms, ${now.t - now.lossAt} ms after a loss`,
            );
          }
        }
      });

      it('never allows more than the estimate carries (but the lowest rung)', () => {
        for (const c of caps) {
          if (c.cap === '0.0') continue;
          assert.ok(c.cost <= c.estimate, `${c.cap} (${c.cost}) at ${c.t}: estimate ${c.estimate}`);
        }
      });

      it('goes down to the lowest spatial layer while shaped, and no higher spatial layer until it clears', () => {
        const shaped = caps.filter((c) => c.t > trace.shapedAt && c.t <= trace.clearedAt);
        const down = shaped.findIndex((c) => c.cap.startsWith('0.'));
        assert.ok(down >= 0, 'never at the lowest spatial layer while shaped');
        for (const c of shaped.slice(down)) {
          assert.match(
            c.cap,
            /^0\./,
            `up to ${c.cap} at ${c.t} while shaped (estimate ${c.estimate})`,
          );
        }
      });

      it('is back at full resolution once the estimate allows it after the link clears', () => {
        const after = caps.filter((c) => c.t > trace.clearedAt);
        const enough = after.find((c) => c.estimate > 1_200_000);
        if (!enough) return; // This trace ends before the estimate recovered.
        const full = after.find((c) => c.cap === '2.2');
        assert.ok(full, `never back to 2.2: ${after.map((c) => c.cap).join(' ')}`);
      });
    });
  }
});
