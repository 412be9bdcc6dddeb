import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ErrorCode, type ProtocolError } from '@vroom/protocol';
import { createSfuServer, type SfuServerOptions } from './index.js';
import { capacityDefaults } from './limits.js';
import { opusParameters } from './test/fixtures.js';
import { joinWithMedia } from './test/rooms.js';
import { TestClient } from './test/TestClient.js';

// Issue 11, F6: 306 peers on rotating addresses held 4 transports each,
// exhausted both workers' file descriptors, and every later join failed
// with INTERNAL. Server-wide bounds refuse with SERVER_FULL instead, and
// whoever is in keeps working.

const serverFull = (error: unknown) => (error as ProtocolError).code === ErrorCode.ServerFull;

async function withServer(
  options: SfuServerOptions,
  body: (s: Awaited<ReturnType<typeof createSfuServer>>) => Promise<void>,
) {
  const server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    ...options,
  });
  try {
    await body(server);
  } finally {
    server.close();
  }
}

/** The ones already in still work: a new audio producer on their send transport. */
async function stillWorks(joined: Awaited<ReturnType<typeof joinWithMedia>>): Promise<void> {
  const { producerId } = await joined.client.request('produce', {
    transportId: joined.sendTransportId,
    kind: 'audio',
    rtpParameters: opusParameters(),
  });
  assert.ok(producerId);
}

describe('F6: server-wide capacity', () => {
  it('peersPerServer: a join past it is SERVER_FULL, whatever the room; a seat freed is taken again', async () => {
    await withServer({ limits: { peersPerServer: 2 } }, async (server) => {
      const alice = await joinWithMedia(server, 'a');
      await new TestClient(server, '192.0.2.1').join('b');
      await assert.rejects(new TestClient(server, '2001:db8:1::1').join('c'), serverFull);
      await stillWorks(alice);
      await alice.client.request('leave', {});
      await new TestClient(server).join('c');
    });
  });

  it('transportsPerWorker: the transport past it is SERVER_FULL, and a join asking for it gives its seat back', async () => {
    await withServer({ limits: { transportsPerWorker: 3 } }, async (server) => {
      const alice = await joinWithMedia(server, 'r'); // two transports
      const bob = new TestClient(server);
      await assert.rejects(bob.join('r', { transports: { send: {}, recv: {} } }), serverFull);
      assert.equal(server.room('r')?.peers.length, 1, 'no half-joined seat');
      await stillWorks(alice);
      await new TestClient(server).join('r', { transports: { send: {} } });
    });
  });

  it('a worker out of ports answers SERVER_FULL, not INTERNAL; those in keep working', async () => {
    // Four ports from a range no other test uses; UDP and TCP each take one per transport.
    await withServer(
      { workerSettings: { logLevel: 'none', rtcMinPort: 47_310, rtcMaxPort: 47_313 } },
      async (server) => {
        const alice = await joinWithMedia(server, 'ports');
        const codes: string[] = [];
        for (let i = 0; i < 4; i++) {
          await new TestClient(server)
            .join('ports', { transports: { send: {}, recv: {} } })
            .catch((error: ProtocolError) => codes.push(error.code));
        }
        assert.ok(codes.length > 0, 'the range ran out');
        assert.deepEqual(new Set(codes), new Set([ErrorCode.ServerFull]));
        await stillWorks(alice);
      },
    );
  });

  it('a worker out of file descriptors answers SERVER_FULL, not INTERNAL; those in keep working', async (t) => {
    try {
      execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    } catch {
      t.skip('prlimit (util-linux) is not installed');
      return;
    }
    await withServer({}, async (server) => {
      const alice = await joinWithMedia(server, 'fds');
      const pid = server.pool.workers[0]?.pid;
      assert.ok(pid);
      // Lower the running worker's limit to what it holds now plus two: the
      // next transports run out of descriptors for real.
      const open = Number(execFileSync('sh', ['-c', `ls /proc/${pid}/fd | wc -l`]).toString());
      execFileSync('prlimit', ['--pid', String(pid), `--nofile=${open + 2}:${open + 2}`]);
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) {
        await new TestClient(server)
          .join('fds', { transports: { send: {}, recv: {} } })
          .catch((error: ProtocolError) => codes.push(error.code));
      }
      assert.ok(codes.length > 0, 'the descriptors ran out');
      assert.deepEqual(new Set(codes), new Set([ErrorCode.ServerFull]));
      await stillWorks(alice);
    });
  });
});

describe('capacityDefaults', () => {
  it('sizes connections, peers and transports from the open-files limit', () => {
    assert.deepEqual(capacityDefaults(1024), {
      maxConnections: 768,
      peersPerServer: 768,
      transportsPerWorker: 256,
    });
    assert.ok(capacityDefaults(65_536).transportsPerWorker > 20_000);
    assert.ok(capacityDefaults(100).maxConnections >= 64, 'never absurdly small');
  });
});
