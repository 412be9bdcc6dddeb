import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadavg } from 'node:os';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { checkAdminCredential } from '../admin/adminToken.js';
import { createLogger } from '../logger.js';
import type { Peer } from '../Peer.js';
import type { SfuServer } from '../SfuServer.js';

const log = createLogger('metrics');

/** More distinct request methods than this (app messages) are counted as `other`. */
const MAX_METHOD_LABELS = 200;

export interface MetricsOptions {
  /** Where the metrics register; default a new one of their own. */
  registry?: Registry;
  /** Name prefix; default `vroom_`. */
  prefix?: string;
  /** Also Node's process metrics (prom-client's defaults); default false. */
  defaultMetrics?: boolean;
}

export interface MetricsHandlerOptions {
  /** Default `/metrics`. */
  path?: string;
  /** If set, scrapes need `Authorization: Bearer <it>` (or a token signed with it). */
  secret?: string;
}

/**
 * Prometheus metrics of one `SfuServer`: object counts read from the live
 * rooms at scrape time (nothing to keep in step), worker CPU and load from
 * the workers themselves, and request latency and errors by method from
 * the server's request observer.
 */
export class SfuMetrics {
  readonly registry: Registry;
  readonly #stopObserving: () => void;

  constructor(server: SfuServer, options: MetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    const prefix = options.prefix ?? 'vroom_';
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix });
    registerCounts(server, prefix, registers);
    registerWorkers(server, prefix, registers);
    const duration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Client requests from arrival at the handler to the answer, by method',
      labelNames: ['method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    });
    const errors = new Counter({
      name: `${prefix}request_errors_total`,
      help: 'Client requests answered with an error, by method and protocol error code',
      labelNames: ['method', 'code'],
      registers,
    });
    const methods = new Set<string>();
    this.#stopObserving = server.observeRequests((method, ms, errorCode) => {
      if (!methods.has(method) && methods.size < MAX_METHOD_LABELS) methods.add(method);
      const label = methods.has(method) ? method : 'other';
      duration.observe({ method: label }, ms / 1000);
      if (errorCode) errors.inc({ method: label, code: errorCode });
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** An `http` handler answering `GET {path}`; false for other paths. */
  handler(
    options: MetricsHandlerOptions = {},
  ): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
    const path = options.path ?? '/metrics';
    return async (request, response) => {
      if (new URL(request.url ?? '/', 'http://metrics.invalid').pathname !== path) return false;
      const bearer = /^Bearer (\S{1,512})$/.exec(request.headers.authorization ?? '')?.[1];
      if (options.secret && !(bearer && checkAdminCredential(options.secret, bearer))) {
        response
          .writeHead(401, { 'content-type': 'text/plain' })
          .end('metrics need a bearer token\n');
      } else if (request.method !== 'GET') {
        response.writeHead(405, { allow: 'GET' }).end();
      } else {
        try {
          const text = await this.text();
          response.writeHead(200, { 'content-type': this.contentType }).end(text);
        } catch (error) {
          log.error('metrics collection failed: %s', error);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('collection failed\n');
        }
      }
      return true;
    };
  }

  /** Stops observing requests (the registry keeps what it has). */
  close(): void {
    this.#stopObserving();
  }
}

/** Rooms, peers and their mediasoup objects, counted when scraped. */
function registerCounts(server: SfuServer, prefix: string, registers: Registry[]): void {
  const gauge = (name: string, help: string, count: () => number) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        this.set(count());
      },
    });
  const sum = (of: (peer: Peer) => number) =>
    server
      .rooms()
      .reduce((total, room) => total + room.peers.reduce((n, peer) => n + of(peer), 0), 0);
  gauge('rooms', 'Open rooms', () => server.rooms().length);
  gauge('peers', 'Peers seated in rooms (connected or waiting for a resume)', () => sum(() => 1));
  gauge('connections', 'Open signaling connections', () => server.connectionCount);
  gauge('transports', 'WebRTC transports of peers', () => sum((peer) => peer.transports.size));
  gauge('producers', 'Producers of peers', () => sum((peer) => peer.producers.size));
  gauge('consumers', 'Consumers of peers', () => sum((peer) => peer.consumers.size));
  gauge('data_producers', 'Data producers of peers', () => sum((peer) => peer.dataProducers.size));
  gauge('data_consumers', 'Data consumers of peers', () => sum((peer) => peer.dataConsumers.size));
}

/** Each live worker's CPU, memory and load, and the host's load average. */
function registerWorkers(server: SfuServer, prefix: string, registers: Registry[]): void {
  // Series are rebuilt at each scrape from the live workers, so a dead
  // worker's pid does not linger. prom-client collects metrics in parallel,
  // so each metric asks the workers itself (one cheap request each).
  const live = () => server.pool.workers.filter((worker) => !worker.closed);
  const usages = () =>
    Promise.all(
      live().map(async (worker) => {
        try {
          return { pid: String(worker.pid), usage: await worker.getResourceUsage() };
        } catch (error) {
          log.debug('worker %d resource usage failed: %s', worker.pid, error);
          return undefined;
        }
      }),
    );
  new Counter({
    name: `${prefix}worker_cpu_seconds_total`,
    help: 'CPU time (user + system) of each mediasoup worker (getResourceUsage)',
    labelNames: ['pid'],
    registers,
    async collect() {
      const all = await usages();
      this.reset();
      for (const entry of all) {
        if (entry)
          this.inc({ pid: entry.pid }, (entry.usage.ru_utime + entry.usage.ru_stime) / 1000);
      }
    },
  });
  new Gauge({
    name: `${prefix}worker_max_rss_bytes`,
    help: 'Largest resident set of each mediasoup worker so far',
    labelNames: ['pid'],
    registers,
    async collect() {
      const all = await usages();
      this.reset();
      for (const entry of all)
        if (entry) this.set({ pid: entry.pid }, entry.usage.ru_maxrss * 1024);
    },
  });
  new Gauge({
    name: `${prefix}worker_peers`,
    help: 'Peers in rooms on each worker (what the pool balances on)',
    labelNames: ['pid'],
    registers,
    collect() {
      this.reset();
      const rooms = server.rooms();
      for (const worker of live()) {
        const seated = rooms.filter((room) => room.worker === worker);
        this.set(
          { pid: String(worker.pid) },
          seated.reduce((n, room) => n + room.peers.length, 0),
        );
      }
    },
  });
  new Gauge({
    name: `${prefix}workers`,
    help: 'Live mediasoup workers',
    registers,
    collect() {
      this.set(live().length);
    },
  });
  new Gauge({
    name: `${prefix}host_load1`,
    help: 'The host 1-minute load average (os.loadavg)',
    registers,
    collect() {
      this.set(loadavg()[0] ?? 0);
    },
  });
}
