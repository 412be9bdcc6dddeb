/**
 * Issue 13: how many SEQUENTIAL round trips a second peer's join costs, on
 * the real server (mediasoup 3.8.4 worker), counted by `LockstepChannel`
 * (a round is everything the client sends after the previous round's
 * answers arrived; see that file), never timed. Alice publishes camera and
 * microphone and opens the chat; Bob joins through the lockstep channel and
 * enables camera and microphone with ONE getUserMedia, as a browser app
 * would. Counted: rounds before Bob's first remote consumer arrives and
 * before his camera's `produce` is answered, with and without known router
 * capabilities; and that his chat's `produceData` never goes ahead of his
 * media. FakeHandler clients: no media flows, every server object is real.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeHandler, testFakeParameters } from '@vroom/client';
import { FakeMediaStreamTrack } from '@vroom/client/handlers/FakeMediaStreamTrack';
import { RoomClient, type RoomClientOptions } from '@vroom/client/room';
import { JOIN_SEND_TRANSPORT } from '@vroom/protocol';
import { WebSocket } from 'ws';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { LockstepChannel, type LoggedMessage } from '../support/LockstepChannel.js';

/** Both ends idle this long ends a round (the worker answers in a few ms; the machine is shared). */
const QUIET_MS = 250;
const MAX_ROUNDS = 8;

let server: VideoRoomServer;
let wsUrl: string;
const rooms: RoomClient[] = [];
const hadNavigator = 'navigator' in globalThis;

before(async () => {
  server = await startVideoRoomServer({
    host: '127.0.0.1',
    port: 0,
    sfu: { workers: 1, workerSettings: { rtcMinPort: 43000, rtcMaxPort: 43499 } },
  });
  wsUrl = `${server.url.replace('http', 'ws')}ws`;
  // Node has no camera. A stand-in getUserMedia (a mock, unavoidable) that
  // takes a while like a real one: the chat opens meanwhile, which is the
  // case issue 13 is about.
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: {
      onLine: true,
      mediaDevices: {
        getUserMedia: async () => {
          await new Promise((resolve) => setTimeout(resolve, 40));
          const video = new FakeMediaStreamTrack({ kind: 'video' }).asTrack();
          const audio = new FakeMediaStreamTrack({ kind: 'audio' }).asTrack();
          return { getVideoTracks: () => [video], getAudioTracks: () => [audio] };
        },
      },
    },
  });
});

after(async () => {
  for (const room of rooms) await room.leave().catch(() => undefined);
  await server?.close();
  if (!hadNavigator) delete (globalThis as { navigator?: unknown }).navigator;
});

function client(roomId: string, displayName: string, extra: Partial<RoomClientOptions> = {}) {
  const room = new RoomClient({
    roomId,
    displayName,
    device: { handlerFactory: FakeHandler.createFactory(testFakeParameters) },
    ...(extra.channel ? {} : { url: wsUrl, WebSocket }),
    ...extra,
  });
  rooms.push(room);
  return room;
}

/** Alice in `roomId` with camera, microphone and the chat open. */
async function publisher(roomId: string): Promise<RoomClient> {
  const alice = client(roomId, 'alice');
  await alice.join();
  await Promise.all([
    alice.enableCamera({ track: new FakeMediaStreamTrack({ kind: 'video' }).asTrack() }),
    alice.enableMicrophone({ track: new FakeMediaStreamTrack({ kind: 'audio' }).asTrack() }),
  ]);
  await alice.sendChat('hello'); // opens her chat channel
  return alice;
}

/** Bob's joins go through lockstep channels; `channels` holds one per join. */
function lockstepClient(roomId: string, extra: Partial<RoomClientOptions> = {}) {
  const channels: LockstepChannel[] = [];
  const bob = client(roomId, 'bob', {
    heartbeat: false, // no pings among the counted messages
    channel: () => {
      const channel = new LockstepChannel(wsUrl);
      channels.push(channel);
      return channel;
    },
    ...extra,
  });
  return { bob, channels };
}

/**
 * Bob joins and enables camera + microphone, the rounds driven until both
 * ends are idle with nothing held. Returns the join's message log.
 */
async function countedJoin(
  bob: RoomClient,
  channels: LockstepChannel[],
  steps: () => Promise<unknown> = async () => {
    await bob.join();
    await bob.enableCameraAndMicrophone();
  },
): Promise<Rounds> {
  const before = channels.length;
  let done = false;
  let failure: unknown;
  const flow = steps().then(
    () => {
      done = true;
    },
    (error: unknown) => {
      failure = error;
      done = true;
    },
  );
  while (channels.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
  const channel = channels[channels.length - 1] as LockstepChannel;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    await channel.quiet(QUIET_MS);
    if (done && channel.held === 0) break;
    channel.deliver();
  }
  await flow;
  if (failure) throw failure;
  // Bob's chat opening is answered too (it may have waited for the last round).
  await channel.quiet(QUIET_MS);
  if (channel.held > 0) channel.deliver();
  return new Rounds(channel.log);
}

/** Reads round counts out of one join's log. */
class Rounds {
  constructor(readonly log: LoggedMessage[]) {}

  /** Round of the first message `direction` with `method` (and matching `test`). */
  of(direction: 'in' | 'out', method: string, test: (data: unknown) => boolean = () => true) {
    return this.log.find((m) => m.direction === direction && m.method === method && test(m.data))
      ?.round;
  }

  /** Rounds until Bob's camera `produce` is answered (its answer comes back in its round). */
  get cameraConfirmed(): number | undefined {
    return this.of('out', 'produce', (d) => sourceOf(d) === 'camera');
  }

  /** Rounds until the first `newConsumer` reached Bob (the server sent it after that round). */
  get firstRemoteConsumer(): number | undefined {
    return this.of('in', 'newConsumer');
  }

  count(direction: 'in' | 'out', method: string): number {
    return this.log.filter((m) => m.direction === direction && m.method === method).length;
  }

  /** Answers of Bob that refused a server request (a push that came too early, say). */
  get refusals(): number {
    return this.log.filter((m) => m.direction === 'out' && m.ok === false).length;
  }

  /** Index of messages in the log, to compare order within a round. */
  indexOf(direction: 'in' | 'out', method: string): number {
    return this.log.findIndex((m) => m.direction === direction && m.method === method);
  }

  lastIndexOf(direction: 'in' | 'out', method: string): number {
    return this.log.findLastIndex((m) => m.direction === direction && m.method === method);
  }
}

function sourceOf(data: unknown): unknown {
  return (data as { appData?: { source?: unknown } } | undefined)?.appData?.source;
}

/** Chat after media: no `produceData` before the last `produce` of the join, nor in its round. */
function assertChatBehindMedia(rounds: Rounds): void {
  const firstData = rounds.indexOf('out', 'produceData');
  assert.ok(firstData >= 0, 'the chat channel opened');
  assert.ok(
    firstData > rounds.lastIndexOf('out', 'produce'),
    'produceData went out before a produce',
  );
  const dataRound = rounds.of('out', 'produceData') ?? 0;
  assert.ok(
    dataRound > (rounds.cameraConfirmed ?? Infinity),
    'produceData shared the camera round',
  );
}

describe('join round trips, counted (issue 13)', () => {
  it('without known capabilities: first remote consumer after 2 rounds, camera after 2, chat behind', async () => {
    await publisher('rt-cold');
    const { bob, channels } = lockstepClient('rt-cold');
    const rounds = await countedJoin(bob, channels);
    console.log('cold join rounds: %o', summary(rounds));
    assert.equal(rounds.of('out', 'join'), 1);
    assert.equal(rounds.of('out', 'setCapabilities'), 2);
    assert.equal(rounds.firstRemoteConsumer, 2);
    assert.equal(rounds.cameraConfirmed, 2);
    assertChatBehindMedia(rounds);
    assert.equal(rounds.refusals, 0);
    assert.equal(rounds.count('in', 'newConsumer'), 2, 'camera and microphone, each pushed once');
  });

  it('capabilities cached from the previous join: first remote consumer after 1 round, no setCapabilities', async () => {
    await publisher('rt-cached');
    const { bob, channels } = lockstepClient('rt-cached');
    await countedJoin(bob, channels);
    await bob.leave();
    const rounds = await countedJoin(bob, channels);
    console.log('cached join rounds: %o', summary(rounds));
    assert.equal(rounds.count('out', 'setCapabilities'), 0);
    assert.equal(rounds.firstRemoteConsumer, 1);
    assert.equal(rounds.cameraConfirmed, 2);
    assertChatBehindMedia(rounds);
    assert.equal(rounds.refusals, 0, 'pushes that came while the device loaded were held');
    assert.equal(rounds.count('in', 'newConsumer'), 2);
    assert.equal(rounds.count('in', 'newDataConsumer'), 1, 'alice chat, pushed once');
  });

  it('capabilities given by the app: the same one round', async () => {
    await publisher('rt-given');
    const router = server.sfu.room('rt-given')?.router;
    assert.ok(router);
    const { bob, channels } = lockstepClient('rt-given', {
      routerRtpCapabilities: router.rtpCapabilities as NonNullable<
        RoomClientOptions['routerRtpCapabilities']
      >,
    });
    const rounds = await countedJoin(bob, channels);
    console.log('app-given join rounds: %o', summary(rounds));
    assert.equal(rounds.count('out', 'setCapabilities'), 0);
    assert.equal(rounds.firstRemoteConsumer, 1);
    assert.equal(rounds.refusals, 0);
  });

  it('stale capabilities: the server ignores them, the client falls back to setCapabilities', async () => {
    await publisher('rt-stale');
    const router = server.sfu.room('rt-stale')?.router;
    assert.ok(router);
    const fresh = router.rtpCapabilities;
    // Another server's router: one codec fewer (still loads, but a different digest).
    const stale = { ...fresh, codecs: (fresh.codecs ?? []).slice(0, -1) };
    const { bob, channels } = lockstepClient('rt-stale', {
      routerRtpCapabilities: stale as NonNullable<RoomClientOptions['routerRtpCapabilities']>,
    });
    const rounds = await countedJoin(bob, channels);
    console.log('stale join rounds: %o', summary(rounds));
    const answer = rounds.log.find((m) => m.direction === 'in' && m.round === 1 && m.ok);
    assert.equal(
      (answer?.data as { rtpCapabilitiesAccepted?: boolean } | undefined)?.rtpCapabilitiesAccepted,
      false,
    );
    assert.equal(rounds.of('out', 'setCapabilities'), 2);
    assert.equal(rounds.firstRemoteConsumer, 2);
    assert.equal(rounds.cameraConfirmed, 2);
    assert.equal(rounds.refusals, 0);
    assert.equal(bob.peer(bob.peers[0]?.id ?? '')?.tracks.length, 2, 'both tracks consumed');
  });
});

/** Bob with his tracks in hand (a preview before joining): `join({ camera, microphone })`. */
function joinWithTracks(bob: RoomClient) {
  return () =>
    bob.join({
      camera: { track: new FakeMediaStreamTrack({ kind: 'video' }).asTrack() },
      microphone: { track: new FakeMediaStreamTrack({ kind: 'audio' }).asTrack() },
    });
}

/** Bob's producers on the server, by source. */
function serverProducers(roomId: string, bob: RoomClient): string[] {
  const peer = server.sfu.room(roomId)?.peers.find((p) => p.id === bob.peerId);
  return [...(peer?.producers.values() ?? [])].map(
    (producer) => (producer.appData as { client?: { source?: string } }).client?.source ?? '?',
  );
}

function givenCapabilities(
  roomId: string,
): NonNullable<RoomClientOptions['routerRtpCapabilities']> {
  const router = server.sfu.room(roomId)?.router;
  assert.ok(router);
  return router.rtpCapabilities as NonNullable<RoomClientOptions['routerRtpCapabilities']>;
}

describe('tracks given to join() (issue 13: connect and produce in the join flight)', () => {
  it('capabilities given: camera confirmed after 1 round, connect and produce name the join send transport', async () => {
    await publisher('rt-pipe');
    const { bob, channels } = lockstepClient('rt-pipe', {
      routerRtpCapabilities: givenCapabilities('rt-pipe'),
    });
    const errors: unknown[] = [];
    bob.on('error', (error) => errors.push(error));
    const rounds = await countedJoin(bob, channels, joinWithTracks(bob));
    console.log('pipelined join rounds: %o', summary(rounds));
    assert.equal(rounds.of('out', 'join'), 1);
    assert.equal(rounds.of('out', 'connectWebRtcTransport'), 1);
    assert.equal(rounds.cameraConfirmed, 1);
    assert.equal(rounds.firstRemoteConsumer, 1);
    assert.equal(rounds.count('out', 'setCapabilities'), 0);
    const sent = rounds.log.filter((m) => m.direction === 'out' && m.method === 'produce');
    assert.deepEqual(
      sent.map((m) => (m.data as { transportId: string }).transportId),
      [JOIN_SEND_TRANSPORT, JOIN_SEND_TRANSPORT],
    );
    assert.ok(rounds.indexOf('out', 'join') < rounds.indexOf('out', 'produce'), 'join goes first');
    assertChatBehindMedia(rounds);
    assert.equal(rounds.refusals, 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(serverProducers('rt-pipe', bob).sort(), ['camera', 'microphone']);
    assert.equal(bob.localTracks.length, 2, 'join() resolved with both tracks published');
    assert.notEqual(bob.sendTransport?.id, JOIN_SEND_TRANSPORT, 'the transport took its real id');
  });

  it('no known capabilities: the tracks go after the join answer (camera after 2 rounds)', async () => {
    await publisher('rt-pipe-cold');
    const { bob, channels } = lockstepClient('rt-pipe-cold');
    const rounds = await countedJoin(bob, channels, joinWithTracks(bob));
    console.log('cold join with tracks rounds: %o', summary(rounds));
    assert.equal(rounds.cameraConfirmed, 2);
    assert.equal(rounds.of('out', 'setCapabilities'), 2);
    assert.equal(rounds.indexOf('out', 'produce') > rounds.indexOf('out', 'setCapabilities'), true);
    assertChatBehindMedia(rounds);
    assert.deepEqual(serverProducers('rt-pipe-cold', bob).sort(), ['camera', 'microphone']);
  });

  it('stale capabilities: the pipelined attempt is refused and dropped, the tracks go on the real transport', async () => {
    await publisher('rt-pipe-stale');
    const fresh = givenCapabilities('rt-pipe-stale');
    const stale = { ...fresh, codecs: (fresh.codecs ?? []).slice(0, -1) };
    const { bob, channels } = lockstepClient('rt-pipe-stale', { routerRtpCapabilities: stale });
    const errors: unknown[] = [];
    bob.on('error', (error) => errors.push(error));
    const rounds = await countedJoin(bob, channels, joinWithTracks(bob));
    console.log('stale join with tracks rounds: %o', summary(rounds));
    assert.equal(rounds.cameraConfirmed, 1, 'the pipelined produce went (and was refused)');
    const produces = rounds.log.filter((m) => m.direction === 'out' && m.method === 'produce');
    assert.deepEqual(
      produces.map((m) => m.round),
      [1, 1, 2, 2],
    );
    assert.deepEqual(errors, [], 'the refused pipelined requests are not errors');
    assert.deepEqual(serverProducers('rt-pipe-stale', bob).sort(), ['camera', 'microphone']);
    assert.equal(bob.localTracks.length, 2);
    assert.equal(bob.peers[0]?.tracks.length, 2, 'both of alice tracks consumed');
  });
});

function summary(rounds: Rounds) {
  return {
    firstRemoteConsumer: rounds.firstRemoteConsumer,
    cameraConfirmed: rounds.cameraConfirmed,
    produceData: rounds.of('out', 'produceData'),
    perRound: rounds.log
      .map(
        (m) => `${m.round}${m.direction === 'out' ? '>' : '<'}${m.method ?? (m.ok ? 'ok' : 'err')}`,
      )
      .join(' '),
  };
}
