import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../Connection.js';
import type { SfuServer } from '../SfuServer.js';
import { emptyTally, FuzzClient } from './FuzzClient.js';
import { IdPool } from './IdPool.js';
import { FRESH_ID } from './wire.js';

// The fuzzer's checks must be able to fail. A real server that answers twice
// or out of schema would be a bug to find, not something to build on purpose,
// so these specs hand the client a scripted stand-in server: each script
// breaks one rule, and the client must say so.

type Script = (request: { id: number; method: string }, connection: Connection) => void;

function scriptedServer(script: Script): SfuServer {
  const server = {
    limits: { maxMessageBytes: 128 * 1024 },
    handleConnection(connection: Connection) {
      connection.onMessage((data) => {
        const message = JSON.parse(String(data)) as { id: number; method: string };
        script(message, connection);
      });
    },
  };
  return server as unknown as SfuServer;
}

const ping = { kind: 'value' as const, value: { id: FRESH_ID, method: 'ping', data: {} } };
const join = { kind: 'value' as const, value: { id: FRESH_ID, method: 'join', data: {} } };

async function play(script: Script, message = ping): Promise<FuzzClient> {
  const client = new FuzzClient(scriptedServer(script), new IdPool(), emptyTally(), '10.0.0.1');
  client.send(message);
  await client.whenSettled(200);
  await new Promise((resolve) => setTimeout(resolve, 20));
  client.finish();
  return client;
}

describe('FuzzClient catches a server that', () => {
  it('never answers', async () => {
    const client = await play(() => undefined);
    assert.equal(client.settled, false);
    assert.match(client.unanswered().join('\n'), /id 1 \(ping\): 0\/1 answers/);
  });

  it('answers twice', async () => {
    const client = await play(({ id }, c) => {
      c.send(JSON.stringify({ id, ok: true, data: {} }));
      c.send(JSON.stringify({ id, ok: true, data: {} }));
    });
    assert.match(client.violations.join('\n'), /id 1 \(ping\) answered 2 times/);
  });

  it('answers an id never sent', async () => {
    const client = await play(({ id }, c) => c.send(JSON.stringify({ id: id + 7, ok: true })));
    assert.match(client.violations.join('\n'), /id 8, which was never sent/);
  });

  it('answers ok with data its method does not return', async () => {
    const client = await play(
      ({ id }, c) => c.send(JSON.stringify({ id, ok: true, data: {} })),
      join,
    );
    assert.match(client.violations.join('\n'), /ok answer of id 1: invalid data for "join"/);
  });

  it('sends a notification no table has, or garbage', async () => {
    const client = await play((_request, c) => {
      c.send(JSON.stringify({ method: 'selfDestruct', data: {} }));
      c.send('{"id": ');
    });
    const violations = client.violations.join('\n');
    assert.match(violations, /notification from the server: unknown method "selfDestruct"/);
    assert.match(violations, /malformed message/);
  });

  it('is satisfied by one well-formed answer', async () => {
    const client = await play(({ id }, c) => c.send(JSON.stringify({ id, ok: true, data: {} })));
    assert.equal(client.settled, true);
    assert.deepEqual(client.violations, []);
  });
});
