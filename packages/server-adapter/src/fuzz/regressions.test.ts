import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ErrorCode } from '@vroom/protocol';
import { createSfuServer, type SfuServer } from '../index.js';
import { deviceRtpCapabilities, vp8Parameters } from '../test/fixtures.js';
import { RawClient } from '../test/RawClient.js';
import { joinWithMedia } from '../test/rooms.js';
import { FAST_SESSIONS } from '../test/sessions.js';

// What the protocol fuzzer found, each as the smallest case that showed it.

let server: SfuServer;
before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: FAST_SESSIONS,
  });
});
after(() => server.close());

it('refuses a lone surrogate in RTP capabilities, so the worker never sees it and later requests are answered', async () => {
  // bench:fuzz seed 20261281: a join into a room with a video producer,
  // carrying `rtcpFeedback.parameter: "\ud800"`. The consume of that producer
  // went to the worker, which dropped the unparsable request unanswered: the
  // peer's queue then held every later request until mediasoup's 15 s timeout.
  const alice = await joinWithMedia(server, 'lone-surrogate');
  await alice.client.request('produce', {
    transportId: alice.sendTransportId,
    kind: 'video',
    rtpParameters: vp8Parameters(),
  });
  const codecs = deviceRtpCapabilities.codecs?.map((codec) =>
    codec.mimeType === 'video/VP8'
      ? { ...codec, rtcpFeedback: [{ type: 'transport-cc', parameter: '\ud800' }] }
      : codec,
  );
  const mallory = new RawClient(server);
  const join = await mallory.request('join', {
    protocolVersion: 1,
    roomId: 'lone-surrogate',
    displayName: 'm',
    device: { name: 'm' },
    rtpCapabilities: { ...deviceRtpCapabilities, codecs },
    transports: { recv: {} },
  });
  assert.equal(join.ok, false);
  assert.equal(join.error?.code, ErrorCode.BadMessage);
  assert.match(join.error?.message ?? '', /lone UTF-16 surrogate/);
  const ping = await mallory.request('ping', {});
  assert.equal(ping.ok, true);
  await alice.client.request('leave', {});
});
