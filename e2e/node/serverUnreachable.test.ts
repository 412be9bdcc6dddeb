/**
 * Nobody listens at the URL (the first-run mistake: the server is not
 * started): the room client rejects `join()` with SERVER_UNREACHABLE and a
 * message a person understands, and the example bot says the same and exits
 * with 1. Real sockets: a port that was bound and released, so nothing
 * answers there.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { FakeHandler, testFakeParameters } from '@vroom/client';
import { RoomClient, RoomError } from '@vroom/client/room';
import { WebSocket } from 'ws';
import { BOT_MAIN } from '../support/botProcess.js';

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `ws://127.0.0.1:${port}/ws`;
}

describe('a server that is not there', () => {
  it('RoomClient.join() rejects with SERVER_UNREACHABLE naming the URL', async () => {
    const url = await closedPortUrl();
    const room = new RoomClient({
      url,
      WebSocket,
      roomId: 'nobody-home',
      displayName: 'alice',
      device: { handlerFactory: FakeHandler.createFactory(testFakeParameters) },
      heartbeat: false,
      chat: false,
    });
    const error = await room.join().then(
      () => assert.fail('joined a server that does not exist'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof RoomError);
    assert.equal(error.code, 'SERVER_UNREACHABLE');
    assert.match(error.message, new RegExp(`^cannot reach the server at ${url}: is it running\\?`));
    assert.equal(room.connectionState, 'failed');
  });

  it('the bot says so in one line and exits with 1', async () => {
    const url = await closedPortUrl();
    const bot = spawn(process.execPath, ['--import', 'tsx', BOT_MAIN, '--url', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    bot.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    bot.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const [code] = await once(bot, 'exit');
    assert.equal(code, 1, output);
    assert.match(output, new RegExp(`error: cannot reach the server at ${url}: is it running\\?`));
    assert.doesNotMatch(output, /join\(\)|signaling channel/, 'no developer advice');
  });
});
