import type { SfuServer } from '../SfuServer.js';
import { opusParameters, vp8Parameters } from '../test/fixtures.js';
import { type JoinedClient, joinWithMedia } from '../test/rooms.js';
import { waitFor } from '../test/TestClient.js';
import type { IdPool } from './IdPool.js';

/**
 * Two well-behaved peers in the room the fuzzer attacks: Alice produces
 * (audio and video), Bob consumes. After every run they must still work
 * through real requests: Alice produces once more, Bob gets the consumer,
 * reads its stats, and hears it close when Alice closes the producer.
 */
export class Bystanders {
  readonly alice: JoinedClient;
  readonly bob: JoinedClient;
  /** A MID is unique per transport: each new producer of Alice's gets the next one. */
  #nextMid = 2;

  private constructor(alice: JoinedClient, bob: JoinedClient) {
    this.alice = alice;
    this.bob = bob;
  }

  static async join(server: SfuServer, roomId: string, pool: IdPool): Promise<Bystanders> {
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    for (const { client, sendTransportId, recvTransportId } of [alice, bob]) {
      pool.add('peer', client.peerId);
      pool.add('transport', sendTransportId);
      pool.add('transport', recvTransportId);
    }
    for (const rtpParameters of [opusParameters(), vp8Parameters()]) {
      const kind = rtpParameters.codecs[0]?.mimeType.startsWith('audio') ? 'audio' : 'video';
      const { producerId } = await alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind,
        rtpParameters,
      });
      pool.add('producer', producerId);
      const consumer = await waitFor(
        () => bob.client.consumers.find((c) => c.producerId === producerId),
        "Bob's consumer of Alice's producer",
      );
      pool.add('consumer', consumer.id);
    }
    return new Bystanders(alice, bob);
  }

  /** What is wrong with the bystanders now; empty when they are fine. */
  async check(): Promise<string[]> {
    const problems: string[] = [];
    for (const [name, { client }] of [
      ['Alice', this.alice],
      ['Bob', this.bob],
    ] as const) {
      if (client.connection.closed) problems.push(`${name}'s connection was closed`);
      for (const error of client.errors.splice(0))
        problems.push(`${name} got bad input from the server: ${error.message}`);
    }
    if (problems.length > 0) return problems;
    try {
      await this.#produceConsumeClose();
    } catch (error) {
      problems.push(`a bystander request failed: ${(error as Error).message}`);
    }
    return problems;
  }

  async #produceConsumeClose(): Promise<void> {
    const { alice, bob } = this;
    const { producerId } = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(String(this.#nextMid++)),
    });
    const consumer = await waitFor(
      () => bob.client.consumers.find((c) => c.producerId === producerId),
      "Bob's newConsumer for Alice's new producer",
    );
    await bob.client.request('getConsumerStats', { consumerId: consumer.id });
    await alice.client.request('closeProducer', { producerId });
    await waitFor(
      () => bob.client.received('consumerClosed').some((n) => n.consumerId === consumer.id),
      "Bob's consumerClosed",
    );
    await Promise.all([alice.client.request('ping', {}), bob.client.request('ping', {})]);
    // What they recorded is checked; keep a long session's memory flat.
    for (const { client } of [alice, bob]) {
      client.consumers.splice(0);
      client.notifications.splice(0);
      client.seqs.splice(0);
    }
  }

  async leave(): Promise<void> {
    for (const { client } of [this.alice, this.bob]) {
      if (!client.connection.closed) await client.request('leave', {}).catch(() => undefined);
      client.disconnect();
    }
  }
}
