import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../index.js';
import { opusParameters, vp8Parameters } from '../test/fixtures.js';
import { joinWithMedia } from '../test/rooms.js';
import { waitFor } from '../test/TestClient.js';
import { SfuMetrics } from './SfuMetrics.js';

let sfu: SfuServer;
let metrics: SfuMetrics;
let http: Server;
let url = '';
const token = 'a-metrics-scrape-secret-of-32-characters!';

before(async () => {
  sfu = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'warn' } });
  metrics = new SfuMetrics(sfu);
  const handle = metrics.handler({ secret: token });
  http = createServer(async (request, response) => {
    if (!(await handle(request, response))) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/metrics`;
});
after(async () => {
  metrics.close();
  await new Promise((resolve) => http.close(resolve));
  sfu.close();
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus text format: `name{a="b",c="d"} value` lines; # lines are metadata. */
function parse(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type?.[1] && type[2]) types.set(type[1], type[2]);
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      if (key !== undefined && value !== undefined) labels[key] = value;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

async function scrape(auth: string | null = token) {
  const response = await fetch(url, auth ? { headers: { authorization: `Bearer ${auth}` } } : {});
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
}

function value(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

describe('SfuMetrics', () => {
  it('refuses a scrape without the token', async () => {
    assert.equal((await scrape(null)).status, 401);
    assert.equal((await scrape('wrong')).status, 401);
  });

  it('counts rooms, peers, objects, worker CPU and requests by method, as scraped and parsed', async () => {
    const alice = await joinWithMedia(sfu, 'metrics-1');
    const bob = await joinWithMedia(sfu, 'metrics-1');
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    await waitFor(() => bob.client.consumers.length === 2, 'consumers');
    await assert.rejects(alice.client.request('pauseProducer', { producerId: 'nope' }));

    const { status, type, text } = await scrape();
    assert.equal(status, 200);
    assert.match(type ?? '', /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parse(text);
    assert.equal(value(samples, 'vroom_rooms'), 1);
    assert.equal(value(samples, 'vroom_peers'), 2);
    assert.equal(value(samples, 'vroom_connections'), 2);
    assert.equal(value(samples, 'vroom_transports'), 4);
    assert.equal(value(samples, 'vroom_producers'), 2);
    await waitFor(
      () =>
        sfu
          .room('metrics-1')
          ?.peers.every((p) => p.id !== bob.client.peerId || p.consumers.size === 2),
      'server consumers',
    );
    assert.equal(value(samples, 'vroom_consumers'), 2);
    assert.equal(value(samples, 'vroom_workers'), 1);
    const pid = String(sfu.pool.workers[0]?.pid);
    assert.equal(types.get('vroom_worker_cpu_seconds_total'), 'counter');
    assert.ok((value(samples, 'vroom_worker_cpu_seconds_total', { pid }) ?? 0) > 0, 'worker CPU');
    assert.ok(
      (value(samples, 'vroom_worker_max_rss_bytes', { pid }) ?? 0) > 1_000_000,
      'worker RSS',
    );
    assert.equal(value(samples, 'vroom_worker_peers', { pid }), 2);
    assert.ok(value(samples, 'vroom_host_load1') !== undefined);
    assert.equal(types.get('vroom_request_duration_seconds'), 'histogram');
    assert.equal(value(samples, 'vroom_request_duration_seconds_count', { method: 'join' }), 2);
    assert.equal(value(samples, 'vroom_request_duration_seconds_count', { method: 'produce' }), 2);
    assert.equal(
      value(samples, 'vroom_request_errors_total', { method: 'pauseProducer', code: 'NOT_FOUND' }),
      1,
    );
    assert.equal(value(samples, 'vroom_request_errors_total', { method: 'produce' }), undefined);

    await alice.client.request('leave', {});
    await bob.client.request('leave', {});
    alice.client.disconnect();
    bob.client.disconnect();
    await waitFor(() => sfu.rooms().length === 0, 'room closed');
    const after = parse((await scrape()).text).samples;
    assert.equal(value(after, 'vroom_rooms'), 0);
    assert.equal(value(after, 'vroom_producers'), 0);
  });
});
