/**
 * Captures the SDP of @roamhq/wrtc (libwebrtc in Node) as a fixture for the
 * Node handler tests:
 *
 *   npx tsx packages/client/scripts/capture-wrtc-sdp.ts
 *
 * Unlike capture-sdp.ts (which drives browsers through a page), this runs the
 * real Node handler over the real wrtc RTCPeerConnection, so every offer our
 * handler munges (legacy SSRC simulcast) and every answer or offer RemoteSdp
 * builds is applied by libwebrtc itself; the fixture records what wrtc
 * produced and whether it accepted ours. Transport parameters are made up
 * (FAKE_TRANSPORT): nothing connects, wrtc only has to accept the SDP.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HandlerInterface } from '../src/handlers/HandlerInterface.ts';
import { Node, type WrtcModule } from '../src/handlers/Node.ts';
import { CONSUMER_AUDIO, CONSUMER_VIDEO } from '../src/handlers/testing/consumers.ts';
import { routerRtpCapabilities } from '../src/handlers/testing/replayHandler.ts';
import { getExtendedRtpCapabilities } from '../src/ortc/index.ts';
import { FAKE_TRANSPORT } from './sdpRoundTrip.ts';

type Wrtc = WrtcModule & {
  RTCRtpSender: typeof RTCRtpSender;
  nonstandard: {
    RTCAudioSource: new () => { createTrack(): MediaStreamTrack };
    RTCVideoSource: new () => { createTrack(): MediaStreamTrack };
  };
};
type Entry = { side: 'local' | 'remote'; type: string; sdp: string; error?: string };
type Scenario = {
  name: string;
  /** What wrtc produced (createOffer, or createAnswer for recv-answer). */
  localSdp: string;
  /** Our remote SDP (answer for send scenarios, offer for recv-answer). */
  remoteSdp?: string;
  /** Set when wrtc rejected a description we applied. */
  remoteSdpError?: string;
  notes: Record<string, unknown>;
};

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const wrtc = (await import('@roamhq/wrtc')).default as unknown as Wrtc;
const version = (require('@roamhq/wrtc/package.json') as { version: string }).version;
const router = routerRtpCapabilities();

/** The Node handler over a wrtc RTCPeerConnection that records each description. */
function recordingHandler(direction: 'send' | 'recv') {
  const log: Entry[] = [];
  const produced: string[] = [];
  class RecordingPeerConnection extends wrtc.RTCPeerConnection {
    override async createOffer(options?: RTCOfferOptions) {
      const offer = await super.createOffer(options);
      produced.push(offer.sdp ?? '');
      return offer;
    }
    override async createAnswer(options?: RTCAnswerOptions) {
      const answer = await super.createAnswer(options);
      produced.push(answer.sdp ?? '');
      return answer;
    }
    override async setLocalDescription(description: RTCSessionDescriptionInit) {
      await record(log, 'local', description, () => super.setLocalDescription(description));
    }
    override async setRemoteDescription(description: RTCSessionDescriptionInit) {
      await record(log, 'remote', description, () => super.setRemoteDescription(description));
    }
  }
  const factory = Node.createFactory({
    wrtc: {
      RTCPeerConnection: RecordingPeerConnection as typeof RTCPeerConnection,
      MediaStream: wrtc.MediaStream,
      RTCRtpSender: wrtc.RTCRtpSender,
    },
  });
  const handler = factory.factory({
    direction,
    ...FAKE_TRANSPORT,
    getSendExtendedRtpCapabilities: (native) => getExtendedRtpCapabilities(native, router, false),
  });
  handler.on('@connect', (_params, callback) => callback());
  return { handler, log, produced };
}

async function record(
  log: Entry[],
  side: 'local' | 'remote',
  description: RTCSessionDescriptionInit,
  apply: () => Promise<void>,
): Promise<void> {
  const entry: Entry = { side, type: description.type ?? '', sdp: description.sdp ?? '' };
  log.push(entry);
  try {
    await apply();
  } catch (error) {
    entry.error = String(error);
    throw error;
  }
}

async function sendScenario(
  name: string,
  run: (handler: HandlerInterface) => Promise<unknown>,
): Promise<Scenario> {
  const { handler, log, produced } = recordingHandler('send');
  let result: unknown;
  try {
    result = await run(handler);
  } catch (error) {
    result = { error: String(error) };
  }
  handler.close();
  const local = log.find((e) => e.side === 'local');
  const remote = log.find((e) => e.side === 'remote');
  const failed = log.find((e) => e.error);
  console.log(`[wrtc] ${name}: ${failed ? `REJECTED ${failed.error}` : 'ok'}`);
  return {
    name,
    localSdp: produced[0] ?? '',
    ...(remote ? { remoteSdp: remote.sdp } : {}),
    ...(failed?.error ? { remoteSdpError: `${failed.side}: ${failed.error}` } : {}),
    notes: {
      // The offer as the handler applied it (munged for legacy simulcast).
      appliedLocalSdp: local?.sdp,
      result: JSON.parse(
        JSON.stringify(result, (key, value) => (key === 'rtpSender' ? undefined : value)),
      ),
    },
  };
}

async function main(): Promise<void> {
  const audio = () => new wrtc.nonstandard.RTCAudioSource().createTrack();
  const video = () => new wrtc.nonstandard.RTCVideoSource().createTrack();
  const tracks: MediaStreamTrack[] = [];
  const track = (make: () => MediaStreamTrack) => {
    const made = make();
    tracks.push(made);
    return made;
  };
  const scenarios: Record<string, Scenario> = {};
  const add = (scenario: Scenario) => {
    scenarios[scenario.name] = scenario;
  };

  const probe = new wrtc.RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  probe.addTransceiver('audio', { direction: 'sendonly' });
  probe.addTransceiver('video', { direction: 'sendonly' });
  add({ name: 'caps-sendonly', localSdp: (await probe.createOffer()).sdp ?? '', notes: {} });
  probe.close();

  add(await sendScenario('audio', (h) => h.send({ track: track(audio) })));
  add(await sendScenario('video', (h) => h.send({ track: track(video) })));
  add(
    await sendScenario('audio-video', (h) =>
      (h.sendMany?.bind(h) ?? (() => Promise.reject(new Error('no sendMany'))))([
        { track: track(audio) },
        { track: track(video) },
      ]),
    ),
  );
  add(
    await sendScenario('simulcast', (h) =>
      h.send({
        track: track(video),
        encodings: [
          { maxBitrate: 100000, scaleResolutionDownBy: 4 },
          { maxBitrate: 300000, scaleResolutionDownBy: 2 },
          { maxBitrate: 900000 },
        ],
      }),
    ),
  );
  add(
    await sendScenario('datachannel', (h) =>
      h.sendDataChannel({ sctpStreamParameters: { ordered: true, label: 'chat' } }),
    ),
  );

  const { handler, log, produced } = recordingHandler('recv');
  await handler.receive([
    {
      trackId: 'consumer-audio',
      kind: 'audio',
      rtpParameters: CONSUMER_AUDIO,
      streamId: 'producer-peer',
    },
    {
      trackId: 'consumer-video',
      kind: 'video',
      rtpParameters: CONSUMER_VIDEO,
      streamId: 'producer-peer',
    },
  ]);
  const failed = log.find((e) => e.error);
  add({
    name: 'recv-answer',
    localSdp: produced[0] ?? '',
    remoteSdp: log.find((e) => e.side === 'remote')?.sdp ?? '',
    ...(failed?.error ? { remoteSdpError: `${failed.side}: ${failed.error}` } : {}),
    notes: { mids: ['0', '1'] },
  });
  console.log(`[wrtc] recv-answer: ${failed ? `REJECTED ${failed.error}` : 'ok'}`);
  handler.close();
  for (const t of tracks) t.stop();

  const file = join(here, '..', 'src', 'handlers', 'fixtures', `node-wrtc-${version}.json`);
  const fixture = {
    browser: 'node-wrtc',
    userAgent: `@roamhq/wrtc/${version} Node/${process.versions.node}`,
    capturedAt: new Date().toISOString(),
    capturedBy: 'packages/client/scripts/capture-wrtc-sdp.ts',
    scenarios,
  };
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

main().then(
  // wrtc's native threads can crash a natural exit (seen here): leave at once.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
