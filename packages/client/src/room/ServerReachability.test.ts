import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { systemClock } from './Clock.js';
import { REACHABILITY_TIMEOUT_MS, ServerReachability } from './ServerReachability.js';
import { FakeClock } from './test/FakeClock.js';

// Real HTTP servers on loopback and Node's own fetch: what a browser's
// fetch does with an opaque no-cors GET is the same as far as this goes
// (an answer resolves, a refused or dead connection rejects).

/** A server on loopback; `answer: false` reads requests and never answers. */
async function server(
  answer: boolean,
): Promise<{ http: Server; wsUrl: string; requests: string[] }> {
  const requests: string[] = [];
  const http = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (answer) response.writeHead(404).end('not here'); // any answer means "reachable"
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return { http, wsUrl: `ws://127.0.0.1:${port}/ws`, requests };
}

const closeServer = (http: Server) => {
  http.closeAllConnections();
  return new Promise((resolve) => http.close(resolve));
};

describe('ServerReachability', () => {
  it('checks nothing until an attempt failed to open its channel; then asks over HTTP first, and refuses while the server is gone', async () => {
    const { http, wsUrl, requests } = await server(true);
    const reach = ServerReachability.forUrl(wsUrl, systemClock);
    assert.ok(reach, 'Node 20 has fetch');
    await reach.verify();
    assert.deepEqual(
      requests,
      ['HEAD /'],
      "verify: one HEAD of the WebSocket origin's root, as http",
    );

    const signal = new AbortController().signal;
    await reach.beforeAttempt(signal);
    assert.equal(requests.length, 1, 'no check before an attempt while none failed to open');

    reach.afterAttempt(true);
    await reach.beforeAttempt(signal);
    assert.equal(requests.length, 2, 'after a channel that did not open: checked, reachable');

    await closeServer(http);
    await assert.rejects(
      reach.beforeAttempt(signal),
      /does not answer at http:\/\/127\.0\.0\.1:\d+\//,
    );

    reach.afterAttempt(false);
    await reach.beforeAttempt(signal); // the channel opened last time: straight to the WebSocket
  });

  it('a server that does not answer plain HTTP is never checked again (verify timed out)', async () => {
    const { http, wsUrl, requests } = await server(false);
    const clock = new FakeClock();
    const reach = ServerReachability.forUrl(wsUrl, clock);
    assert.ok(reach);
    const verified = reach.verify();
    while (requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await clock.advance(REACHABILITY_TIMEOUT_MS, () => new Promise((r) => setImmediate(r)));
    await verified;
    reach.afterAttempt(true);
    await reach.beforeAttempt(new AbortController().signal);
    assert.equal(requests.length, 1, 'unusable: attempts go straight to the WebSocket');
    await closeServer(http);
  });

  it('an aborted attempt stops its check at once', async () => {
    const { http, wsUrl } = await server(false);
    const reach = new ServerReachability(wsUrl, (url, init) => fetch(url, init), systemClock);
    const controller = new AbortController();
    const checking = reach.check(controller.signal);
    controller.abort();
    assert.equal(await checking, false);
    await closeServer(http);
  });

  it('no url (a custom channel) or no fetch: nothing to check with', () => {
    assert.equal(ServerReachability.forUrl(undefined, systemClock), undefined);
  });
});
