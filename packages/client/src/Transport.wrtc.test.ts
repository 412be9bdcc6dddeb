import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it, mock } from 'node:test';
import wrtc from '@roamhq/wrtc';
import { Device } from './Device.js';
import type { HandlerInterface } from './handlers/HandlerInterface.js';
import { Node } from './handlers/Node.js';
import type { RtpCapabilities } from './RtpParameters.js';
import type { Transport } from './Transport.js';
import * as fake from './test/fakeParameters.js';

// Transport over the real Node handler: libwebrtc (@roamhq/wrtc) makes the
// SDP offers and answers. No server is needed to negotiate (the remote side
// is written from the transport parameters), only to carry media, so the
// peer connections never connect here; what is checked is the negotiation.

type MediaSource = { createTrack(): MediaStreamTrack };
const { nonstandard } = wrtc as unknown as {
  nonstandard: { RTCAudioSource: new () => MediaSource; RTCVideoSource: new () => MediaSource };
};

const routerRtpCapabilities: RtpCapabilities = JSON.parse(
  readFileSync(
    new URL('./ortc/fixtures/mediasoup-3.8.4-router-rtp-capabilities.json', import.meta.url),
    'utf8',
  ),
);

const transports: Transport[] = [];
after(() => {
  for (const transport of transports) transport.close();
  // @roamhq/wrtc 0.10 crashes in its N-API finalizers when Node tears the
  // environment down after a track was sent (V8 "Check failed:
  // node->IsInUse()", SIGSEGV/SIGABRT). An explicit exit skips that
  // teardown; the delay lets the test reporter write the results first.
  setTimeout(() => process.exit(process.exitCode ?? 0), 300);
});

async function nodeDevice(): Promise<Device> {
  const device = new Device({ handlerFactory: Node.createFactory() });
  await device.load({ routerRtpCapabilities });
  return device;
}

describe('Transport over the Node (libwebrtc) handler', () => {
  it('produces three tracks of one task with one sendMany, in call order', async () => {
    const device = await nodeDevice();
    const transport = device.createSendTransport(fake.generateTransportRemoteParameters());
    transports.push(transport);
    transport.on('connect', (_d, callback) => callback());
    const mids: string[] = [];
    transport.on('produce', ({ rtpParameters }, callback) => {
      mids.push(rtpParameters.mid ?? '');
      callback({ id: `p${mids.length}` });
    });
    // sendMany is optional in HandlerInterface; the Node handler has it.
    const sendMany = mock.method(transport.handler as Required<HandlerInterface>, 'sendMany');
    const producers = await Promise.all([
      transport.produce({ track: new nonstandard.RTCAudioSource().createTrack() }),
      transport.produce({
        track: new nonstandard.RTCVideoSource().createTrack(),
        encodings: [{ maxBitrate: 100000 }, { maxBitrate: 300000 }],
      }),
      transport.produce({ track: new nonstandard.RTCVideoSource().createTrack() }),
    ]);
    assert.equal(sendMany.mock.callCount(), 1);
    assert.deepEqual(
      producers.map((p) => [p.id, p.kind]),
      [
        ['p1', 'audio'],
        ['p2', 'video'],
        ['p3', 'video'],
      ],
    );
    assert.equal(new Set(mids).size, 3, 'each producer has its own m-section');
    assert.equal(producers[1]?.rtpParameters.encodings?.length, 2, 'simulcast encodings');
    assert.equal(producers[0]?.rtpParameters.codecs[0]?.mimeType, 'audio/opus');
  });

  it('a pending send transport (pipelined join) produces before the server answered, then takes its answer', async () => {
    const device = await nodeDevice();
    let answer!: (remote: ReturnType<typeof fake.generateTransportRemoteParameters>) => void;
    const remote = new Promise<ReturnType<typeof fake.generateTransportRemoteParameters>>(
      (resolve) => {
        answer = resolve;
      },
    );
    const transport = device.createSendTransport({ id: 'join:send', remote });
    transports.push(transport);
    const events: string[] = [];
    transport.on('connect', (_d, callback) => {
      events.push('connect');
      callback();
    });
    transport.on('produce', ({ kind }, callback) => {
      events.push(`produce ${kind}`);
      callback({ id: `p-${kind}` });
    });
    const producers = await Promise.all([
      transport.produce({ track: new nonstandard.RTCAudioSource().createTrack() }),
      transport.produce({ track: new nonstandard.RTCVideoSource().createTrack() }),
    ]);
    assert.deepEqual(events, ['connect', 'produce audio', 'produce video']);
    assert.equal(producers.length, 2);
    const pc = (transport.handler as unknown as { pc: RTCPeerConnection }).pc;
    assert.equal(pc.signalingState, 'have-local-offer', 'the answer waits for the server');
    assert.equal(transport.id, 'join:send');
    const parameters = fake.generateTransportRemoteParameters();
    answer(parameters);
    // A renegotiation queued meanwhile runs after the waiting answer.
    await producers[1]?.pause();
    await transport.produce({ track: new nonstandard.RTCVideoSource().createTrack() });
    assert.equal(pc.signalingState, 'stable');
    assert.equal(transport.id, parameters.id, 'the real id once the server answered');
    assert.match(
      pc.remoteDescription?.sdp ?? '',
      new RegExp(parameters.iceParameters.usernameFragment),
    );
  });

  it('consumes an audio and a video producer in one receive', async () => {
    const device = await nodeDevice();
    const transport = device.createRecvTransport(fake.generateTransportRemoteParameters());
    transports.push(transport);
    transport.on('connect', (_d, callback) => callback());
    const receive = mock.method(transport.handler, 'receive');
    const consumers = await Promise.all([
      transport.consume(fake.generateConsumerRemoteParameters({ codecMimeType: 'audio/opus' })),
      transport.consume(fake.generateConsumerRemoteParameters({ codecMimeType: 'video/VP8' })),
    ]);
    assert.equal(receive.mock.callCount(), 1);
    assert.deepEqual(
      consumers.map((c) => [c.kind, c.track.kind, c.track.readyState]),
      [
        ['audio', 'audio', 'live'],
        ['video', 'video', 'live'],
      ],
    );
  });
});
