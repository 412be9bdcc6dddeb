import { after, before, describe, it } from 'node:test';
import { RedisServer } from '../../packages/server-adapter/src/test/redisServer.js';
import { type BotEvent, type BotProcess, startBot } from '../support/botProcess.js';
import { type ClusterNodeProcess, startClusterNode } from '../support/clusterNode.js';

type Stats = Extract<BotEvent, { event: 'stats' }>;

/** The bot's latest count of decoded frames and audio chunks from each peer, by display name. */
function received(bot: BotProcess): Map<string, { frames: number; audio: number }> {
  const stats = bot.events.filter((e): e is Stats => e.event === 'stats').at(-1);
  return new Map(
    (stats?.received ?? []).map((r) => [
      r.displayName,
      { frames: r.videoFrames, audio: r.audioChunks },
    ]),
  );
}

async function decodes(bot: BotProcess, from: string, moreThan: { frames: number; audio: number }) {
  const last = () => JSON.stringify([...received(bot)]);
  const peers = () =>
    bot.events
      .filter((e) => e.event === 'peerjoined' || e.event === 'peerleft')
      .map((e) => JSON.stringify(e));
  await bot
    .waitFor(
      (e) =>
        e.event === 'stats' &&
        e.received.some(
          (r) =>
            r.displayName === from &&
            r.videoFrames > moreThan.frames &&
            r.audioChunks > moreThan.audio,
        ),
      `video and audio of ${from} past ${moreThan.frames} frames`,
      60_000,
    )
    .catch((error: Error) => {
      throw new Error(`${error.message}; last stats ${last()}; peers ${peers().join(' ')}`);
    });
}

// Real Redis, three example-server processes in cluster mode, and three Node
// bots (@roamhq/wrtc: real WebRTC, real decoding), one per node, in one room.
describe('cluster: a room over three node processes (real Redis, workers, WebRTC bots)', () => {
  let redis: RedisServer;
  const nodes: ClusterNodeProcess[] = [];
  const bots: BotProcess[] = [];
  const small = ['--width', '160', '--height', '120', '--fps', '10', '--stats-every', '1'];

  before(async () => {
    redis = await RedisServer.start();
    for (const id of ['e1', 'e2', 'e3']) nodes.push(await startClusterNode(id, redis.url));
  });
  after(async () => {
    await Promise.all(bots.map((b) => b.stop(3000)));
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await redis.stop();
  });

  it('every bot decodes every other bot’s video and audio across nodes', async () => {
    for (const [i, node] of nodes.entries()) {
      // bot3 knows e1 too: when e3 is gone it comes back through e1 by itself.
      const url = i === 2 ? `${node.wsUrl},${nodes[0]!.wsUrl}` : node.wsUrl;
      const bot = startBot(['--url', url, '--room', 'span', '--name', `bot${i + 1}`, ...small]);
      bots.push(bot);
      await bot.waitFor((e) => e.event === 'joined', 'joined', 60_000);
    }
    for (const [i, bot] of bots.entries()) {
      for (const [j] of bots.entries()) {
        if (i !== j) await decodes(bot, `bot${j + 1}`, { frames: 20, audio: 20 });
      }
    }
  });

  it('kill -9 of a node: the others see its peer leave, media between them goes on, and the peer reconnects through another node', async () => {
    const before = received(bots[0]!).get('bot2')!;
    const killedAt = Date.now();
    await nodes[2]!.kill('SIGKILL');
    for (const bot of bots.slice(0, 2)) {
      await bot.waitFor(
        (e) => e.event === 'peerleft' && e.displayName === 'bot3',
        'bot3 leaving after its node died',
        30_000,
      );
    }
    console.log(
      `# the others saw bot3 leave ${Date.now() - killedAt} ms after kill -9 of its node`,
    );
    await decodes(bots[0]!, 'bot2', { frames: before.frames + 20, audio: before.audio });
    // bot3 rejoins through e1 with its tracks (a new peer id): both others decode it again.
    const bot3 = bots[2]!;
    await bot3
      .waitFor(
        (e) => e.event === 'state' && e.state === 'connected',
        'bot3 connected again',
        60_000,
      )
      .catch((error: Error) => {
        throw new Error(
          `${error.message}; bot3 said ${JSON.stringify(bot3.events.filter((e) => e.event !== 'stats'))}`,
        );
      });
    // Not asserted yet: the others seeing bot3 join again through e1 (see the README's cluster section).
    console.log(`# bot3 connected again (through e1) ${Date.now() - killedAt} ms after the kill`);
  });

  it('Redis killed and restarted mid-call: media between nodes never stops, and the room stays one', async () => {
    const start = received(bots[1]!).get('bot1')!;
    await redis.kill();
    // Pipes do not go through Redis: frames keep coming while it is down.
    await decodes(bots[1]!, 'bot1', { frames: start.frames + 20, audio: start.audio });
    await redis.restart();
    // The nodes put their rooms back in the empty Redis: a node started now
    // finds the room's other nodes there, and its newcomer sees bot1 and bot2.
    nodes.push(await startClusterNode('e4', redis.url));
    const late = startBot(['--url', nodes[3]!.wsUrl, '--room', 'span', '--name', 'late', ...small]);
    bots.push(late);
    await decodes(late, 'bot1', { frames: 10, audio: 0 });
    await decodes(late, 'bot2', { frames: 10, audio: 0 });
  });
});
