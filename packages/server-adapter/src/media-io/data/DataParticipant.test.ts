import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../../index.js';
import { liveObjects } from '../../test/liveObjects.js';
import { waitFor } from '../../test/TestClient.js';
import { type DataMessage, DataParticipant } from './DataParticipant.js';

let server: SfuServer;
before(async () => {
  server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
});
after(() => server.close());

it('two data participants exchange strings and binary in order through the worker, then leave nothing', async () => {
  const before = await liveObjects(server);
  const alice = await DataParticipant.join(server, { roomId: 'data', displayName: 'Alice' });
  const bob = await DataParticipant.join(server, { roomId: 'data', displayName: 'Bob' });
  const heard: DataMessage[] = [];
  bob.on('message', (message) => heard.push(message));
  let warmUps = 0;
  // Bob consumes Alice's label once it exists: what is sent before is not his to hear.
  await waitFor(async () => {
    await alice.send('x', 'ready?');
    warmUps++;
    return heard.length > 0;
  }, 'Bob consuming Alice');
  await waitFor(() => heard.length === warmUps || undefined, 'the last warm-up message');
  heard.length = 0;
  for (let i = 0; i < 50; i++) {
    await alice.send('x', i % 2 === 0 ? `m${i}` : new Uint8Array([i, 255 - i]));
  }
  await alice.say('hello');
  await waitFor(() => heard.length === 51, '51 messages at Bob');
  heard.slice(0, 50).forEach((message, i) => {
    assert.equal(message.peerId, alice.participant.id);
    assert.equal(message.label, 'x');
    if (i % 2 === 0) assert.equal(message.data, `m${i}`);
    else assert.deepEqual([...(message.data as Buffer)], [i, 255 - i]);
  });
  assert.equal(heard[50]?.label, 'chat');
  assert.equal(JSON.parse(String(heard[50]?.data)).text, 'hello');
  alice.close();
  bob.close();
  assert.deepEqual(await liveObjects(server), before);
});
