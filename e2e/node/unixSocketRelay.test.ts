/**
 * The unix-socket relay (support/unixSocketRelay.ts) that lets the host reach
 * a server on a test namespace's own loopback (Firefox's BiDi port, in
 * support/firefoxInNetns.ts), on the real kernel: it needs root and `ip`.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestNetns, waitForLine } from '../support/netns.js';

const relayMain = fileURLToPath(new URL('../support/unixSocketRelay.ts', import.meta.url));

/** GET / over the unix socket at `socketPath`; resolves with the body. */
function getOverSocket(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('unixSocketRelay', () => {
  it("reaches a server on the namespace's 127.0.0.1 from the host, also while its link is down", async () => {
    const netns = createTestNetns({ name: 'relaytest', subnet: '10.77.251' });
    const dir = mkdtempSync(join(tmpdir(), 'vroom-relaytest-'));
    const socketPath = join(dir, 'relay.sock');
    try {
      const server = `require('node:http').createServer((q, r) => r.end('inside loopback'))
        .listen(8081, '127.0.0.1', () => console.log('ready'));`;
      await waitForLine(netns.spawn(process.execPath, ['-e', server]), /^ready$/);
      const relay = netns.spawn(process.execPath, [
        '--import',
        'tsx',
        relayMain,
        socketPath,
        '8081',
      ]);
      await waitForLine(relay, /^RELAY_READY$/);

      assert.equal(await getOverSocket(socketPath), 'inside loopback');
      // An outage of the namespace's link does not touch the relayed path.
      netns.setLink(false);
      assert.equal(await getOverSocket(socketPath), 'inside loopback');
      netns.setLink(true);

      // Stopped, it removes its socket file.
      relay.kill('SIGTERM');
      await once(relay, 'exit');
      assert.equal(existsSync(socketPath), false);
    } finally {
      await netns.delete();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with its usage', async () => {
    const netns = createTestNetns({ name: 'relaytest', subnet: '10.77.251' });
    try {
      const relay = netns.spawn(process.execPath, [
        '--import',
        'tsx',
        relayMain,
        '/tmp/x.sock',
        'http',
      ]);
      let stderr = '';
      relay.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const [code] = await once(relay, 'exit');
      assert.equal(code, 2);
      assert.match(stderr, /usage: unixSocketRelay\.ts <socket path> <tcp port/);
    } finally {
      await netns.delete();
    }
  });
});
