import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../../index.js';
import { type LiveObjects, liveObjects } from '../../test/liveObjects.js';
import { joinWithMedia } from '../../test/rooms.js';
import { waitFor } from '../../test/TestClient.js';
import { ParticipantClosedError, ServerParticipant } from './ServerParticipant.js';

let server: SfuServer;
before(async () => {
  server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
});
after(() => server.close());

/** What an encoder would send: Opus at payload type 100, a fixed SSRC. */
const opus = {
  kind: 'audio' as const,
  rtpParameters: {
    codecs: [
      {
        mimeType: 'audio/opus',
        clockRate: 48000,
        channels: 2,
        payloadType: 100,
        parameters: { 'sprop-stereo': 1 },
      },
    ],
    encodings: [{ ssrc: 1111 }],
  },
  appData: { source: 'test' },
};

describe('ServerParticipant', () => {
  it('joins like a peer: peerJoined with its name and appData, its producer consumed, peerLeft', async () => {
    const roomId = 'sp-lifecycle';
    const { client } = await joinWithMedia(server, roomId);
    const counts = await liveObjects(server);
    const participant = await ServerParticipant.join(server, {
      roomId,
      displayName: 'Ingest',
      appData: { kind: 'ingest' },
    });
    const joined = await waitFor(
      () => client.received('peerJoined').find((p) => p.peerId === participant.id),
      'peerJoined',
    );
    assert.equal(joined.displayName, 'Ingest');
    assert.deepEqual(joined.appData, { kind: 'ingest' });
    assert.deepEqual(joined.device, { name: 'server' });

    const transport = await participant.createPlainTransport({
      listenIp: '127.0.0.1',
      comedia: true,
      rtcpMux: true,
    });
    const producer = await participant.produce(transport, opus);
    const offered = await waitFor(
      () => client.consumers.find((c) => c.producerId === producer.id),
      'newConsumer of the participant producer',
    );
    assert.equal(offered.peerId, participant.id);
    assert.deepEqual(offered.appData, { source: 'test' });

    const closed = once(participant, 'closed');
    participant.close();
    assert.deepEqual(await closed, ['closed']);
    await waitFor(
      () => client.received('peerLeft').some((p) => p.peerId === participant.id),
      'peerLeft',
    );
    await waitFor(
      () => client.received('consumerClosed').some((c) => c.consumerId === offered.id),
      'consumerClosed of its consumer',
    );
    assert.ok(transport.closed && producer.closed);
    // Back to what the browser peer alone had.
    assert.deepEqual(await liveObjects(server), counts);
    await assert.rejects(
      participant.createDirectTransport(),
      (error: unknown) => error instanceof ParticipantClosedError,
    );
    client.disconnect();
  });

  it('keeps the room open alone; leaves with roomClosed when the server closes', async () => {
    const own = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
    try {
      const participant = await ServerParticipant.join(own, { roomId: 'alone', displayName: 'V' });
      await participant.createDirectTransport();
      assert.equal(own.room('alone')?.peers.length, 1);
      const closed = once(participant, 'closed');
      own.close();
      assert.deepEqual(await closed, ['roomClosed']);
      assert.equal(participant.closed, true);
    } finally {
      own.close();
    }
  });

  it('leaves with workerDied when its worker dies; the worker keeps no router of it', async () => {
    const own = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
    try {
      const participant = await ServerParticipant.join(own, { roomId: 'dies', displayName: 'V' });
      await participant.createPlainTransport({ listenIp: '127.0.0.1', comedia: true });
      const worker = own.room('dies')?.worker;
      assert.ok(worker);
      const closed = once(participant, 'closed');
      process.kill(worker.pid, 'SIGKILL');
      assert.deepEqual(await closed, ['workerDied']);
      assert.equal(own.room('dies'), undefined);
      const live: LiveObjects = await liveObjects(own);
      assert.equal(live.routers, 0);
    } finally {
      own.close();
    }
  });
});
