import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BotUsageError, parseBotOptions } from './options.js';

describe('the bot command line', () => {
  it('defaults to the local example server, room lobby, name bot, 640x360 at 24 fps', () => {
    assert.deepEqual(parseBotOptions([]), {
      url: 'ws://localhost:3000/ws',
      urls: ['ws://localhost:3000/ws'],
      room: 'lobby',
      name: 'bot',
      width: 640,
      height: 360,
      fps: 24,
      statsEvery: 5,
      report: false,
      help: false,
    });
  });

  it('takes several servers as a comma-separated --url (the nodes of a cluster)', () => {
    const options = parseBotOptions(['--url', 'ws://a:3001/ws,ws://b:3002/ws']);
    assert.equal(options.url, 'ws://a:3001/ws');
    assert.deepEqual(options.urls, ['ws://a:3001/ws', 'ws://b:3002/ws']);
    assert.throws(() => parseBotOptions(['--url', 'ws://a:3001/ws,http://b']), BotUsageError);
  });

  it('takes the flags, also behind the `--` that `pnpm run bot --` passes along', () => {
    const options = parseBotOptions(['--', '--url', 'wss://x.org/ws', '--room', 'r1', '--report']);
    assert.equal(options.url, 'wss://x.org/ws');
    assert.equal(options.room, 'r1');
    assert.equal(options.report, true);
  });

  it('says what to type for a wrong flag or value', () => {
    assert.throws(() => parseBotOptions(['--colour', 'red']), BotUsageError);
    assert.throws(() => parseBotOptions(['--url', 'http://x/ws']), /WebSocket URL/);
    assert.throws(
      () => parseBotOptions(['--fps', 'fast']),
      /--fps fast: give a whole number from 1 to 60/,
    );
    assert.throws(() => parseBotOptions(['--width', '641']), /must be even/);
    assert.throws(() => parseBotOptions(['--name', '']), /cannot be empty/);
  });
});
