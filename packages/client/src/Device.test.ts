import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { Device, detectDevice, detectDeviceAsync } from './Device.js';
import { InvalidStateError, UnsupportedError } from './errors.js';
import { FakeHandler } from './handlers/FakeHandler.js';
import type { Transport } from './Transport.js';
import * as fake from './test/fakeParameters.js';
import { loadedDevice } from './test/harness.js';

describe('new Device()', () => {
  it('throws UnsupportedError in Node when no handler is given', () => {
    assert.throws(() => new Device(), UnsupportedError);
  });

  it('rejects both handlerName and handlerFactory, and unknown names', () => {
    assert.throws(
      () =>
        new Device({ handlerName: 'Chrome111', handlerFactory: FakeHandler.createFactory(fake) }),
      TypeError,
    );
    assert.throws(
      () => new Device({ handlerName: 'Opera12' as never }),
      /unknown handlerName "Opera12"/,
    );
  });

  it('takes a built-in handler by name and a custom factory', () => {
    for (const name of [
      'Chrome111',
      'Chrome74',
      'Firefox120',
      'Safari12',
      'ReactNative106',
    ] as const) {
      assert.equal(new Device({ handlerName: name }).handlerName, name);
    }
    assert.equal(
      new Device({ handlerFactory: FakeHandler.createFactory(fake) }).handlerName,
      'FakeHandler',
    );
  });

  it('Device.factory() without handler rejects with UnsupportedError in Node', async () => {
    await assert.rejects(Device.factory(), UnsupportedError);
    assert.equal(
      (await Device.factory({ handlerFactory: FakeHandler.createFactory(fake) })).handlerName,
      'FakeHandler',
    );
  });
});

describe('device.load()', () => {
  it('needs to happen before capabilities and transports', () => {
    const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
    assert.equal(device.loaded, false);
    assert.throws(() => device.recvRtpCapabilities, InvalidStateError);
    assert.throws(() => device.sendRtpCapabilities, InvalidStateError);
    assert.throws(() => device.rtpCapabilities, InvalidStateError);
    assert.throws(() => device.sctpCapabilities, InvalidStateError);
    assert.throws(() => device.canProduce('audio'), InvalidStateError);
    assert.throws(
      () => device.createSendTransport(fake.generateTransportRemoteParameters()),
      InvalidStateError,
    );
  });

  it('computes receive and send capabilities from the router and the handler', async () => {
    const device = await loadedDevice();
    assert.equal(device.loaded, true);
    const recvCodecs = device.recvRtpCapabilities.codecs?.map((c) => [
      c.mimeType,
      c.preferredPayloadType,
    ]);
    // Receiving uses the router's payload types, sending the device's own.
    assert.deepEqual(recvCodecs?.slice(0, 3), [
      ['audio/opus', 100],
      ['video/VP8', 101],
      ['video/rtx', 102],
    ]);
    const sendCodecs = device.sendRtpCapabilities.codecs?.map((c) => [
      c.mimeType,
      c.preferredPayloadType,
    ]);
    assert.deepEqual(sendCodecs?.slice(0, 3), [
      ['audio/opus', 111],
      ['video/VP8', 96],
      ['video/rtx', 97],
    ]);
    assert.equal(device.rtpCapabilities, device.recvRtpCapabilities);
    assert.deepEqual(device.sctpCapabilities, { numStreams: { OS: 1024, MIS: 1024 } });
    assert.equal(device.canProduce('audio'), true);
    assert.equal(device.canProduce('video'), true);
    assert.throws(() => device.canProduce('data' as never), TypeError);
  });

  it('does not modify the given router capabilities', async () => {
    const caps = fake.generateRouterRtpCapabilities();
    const before = JSON.stringify(caps);
    const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
    await device.load({ routerRtpCapabilities: caps });
    assert.equal(JSON.stringify(caps), before);
  });

  it('rejects a second load with InvalidStateError and bad capabilities with TypeError', async () => {
    const device = await loadedDevice();
    await assert.rejects(
      device.load({ routerRtpCapabilities: fake.generateRouterRtpCapabilities() }),
      InvalidStateError,
    );
    const other = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
    await assert.rejects(
      other.load({ routerRtpCapabilities: { codecs: [{ mimeType: 'x' }] } as never }),
      TypeError,
    );
    assert.equal(other.loaded, false);
  });

  it('cannot produce a kind the router lacks', async () => {
    const router = fake.generateRouterRtpCapabilities();
    router.codecs = router.codecs?.filter((c) => c.kind === 'audio');
    const device = new Device({ handlerFactory: FakeHandler.createFactory(fake) });
    await device.load({ routerRtpCapabilities: router });
    assert.equal(device.canProduce('audio'), true);
    assert.equal(device.canProduce('video'), false);
  });
});

describe('device.createSendTransport() / createRecvTransport()', () => {
  it('creates transports of each direction and tells the observer', async () => {
    const device = await loadedDevice();
    const seen: Transport[] = [];
    device.observer.on('newtransport', (t) => seen.push(t));
    const remote = fake.generateTransportRemoteParameters();
    const send = device.createSendTransport({ ...remote, appData: { room: 'a' } });
    const recv = device.createRecvTransport(fake.generateTransportRemoteParameters());
    assert.equal(send.id, remote.id);
    assert.equal(send.direction, 'send');
    assert.equal(recv.direction, 'recv');
    assert.deepEqual(send.appData, { room: 'a' });
    assert.deepEqual(seen, [send, recv]);
    assert.equal(send.connectionState, 'new');
    assert.equal(send.iceGatheringState, 'new');
  });

  it('rejects missing server parameters with TypeError', async () => {
    const device = await loadedDevice();
    const remote = fake.generateTransportRemoteParameters();
    for (const broken of [
      { ...remote, id: undefined },
      { ...remote, iceParameters: undefined },
      { ...remote, iceCandidates: 'x' },
      { ...remote, dtlsParameters: undefined },
      { ...remote, sctpParameters: 5 },
      { ...remote, appData: 'x' },
    ]) {
      assert.throws(() => device.createSendTransport(broken as never), TypeError);
    }
  });
});

describe('detectDevice()', () => {
  const cases: [string, string, string | undefined][] = [
    [
      'Chrome 140 desktop',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      'Chrome111',
    ],
    [
      'Chrome 100',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.75 Safari/537.36',
      'Chrome74',
    ],
    [
      'Chrome 70',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36',
      undefined,
    ],
    [
      'Edge 120',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
      'Chrome111',
    ],
    [
      'Firefox 153',
      'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
      'Firefox120',
    ],
    [
      'Firefox 115',
      'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
      undefined,
    ],
    [
      'Safari 17 macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
      'Safari12',
    ],
    [
      'Safari 11 macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13) AppleWebKit/604.1.38 (KHTML, like Gecko) Version/11.0 Safari/604.1.38',
      undefined,
    ],
    [
      'Chrome on iOS',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
      'Safari12',
    ],
    [
      'Firefox on iOS',
      'Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/120.0 Mobile/15E148 Safari/605.1.15',
      'Safari12',
    ],
    [
      'Safari 11.1 macOS (WebKit 605: the rule is the engine, not the Safari version)',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/11.1 Safari/605.1.15',
      'Safari12',
    ],
    [
      'Firefox 121 Android',
      'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
      'Firefox120',
    ],
    ['empty user agent', '', undefined],
    ['curl', 'curl/8.0', undefined],
  ];
  const require = createRequire(import.meta.url);
  const oracle = require('mediasoup-client') as { detectDevice: typeof detectDevice };

  for (const [what, ua, expected] of cases) {
    it(`${what} -> ${expected ?? 'unsupported'} (as mediasoup-client 3.24.1)`, async () => {
      assert.equal(detectDevice(ua), expected);
      assert.equal(oracle.detectDevice(ua), expected);
      assert.equal(await detectDeviceAsync(ua), expected);
    });
  }

  it('prefers the Chromium brand of User-Agent Client Hints', () => {
    const uaData = {
      brands: [{ brand: 'Chromium', version: '110' }],
      platform: 'Windows',
      mobile: false,
    } as const;
    const ua =
      'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
    assert.equal(detectDevice(ua, { ...uaData, brands: [...uaData.brands] }), 'Chrome74');
    assert.equal(oracle.detectDevice(ua, { ...uaData, brands: [...uaData.brands] }), 'Chrome74');
  });

  it('agrees with mediasoup-client on its own user agent cases', () => {
    // Not exported by the package, so reached by file path.
    const libDir = require.resolve('mediasoup-client').replace(/index\.js$/, '');
    const { uaTestCases } = require(`${libDir}test/uaTestCases.js`) as {
      uaTestCases: {
        desc: string;
        userAgent: string;
        userAgentData?: never;
        expect: string | undefined;
      }[];
    };
    assert.ok(uaTestCases.length > 10);
    for (const c of uaTestCases) {
      assert.equal(
        detectDevice(c.userAgent, c.userAgentData),
        oracle.detectDevice(c.userAgent, c.userAgentData),
        c.desc,
      );
    }
  });
});
