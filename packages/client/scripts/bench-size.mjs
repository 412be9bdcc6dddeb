// Bundle size of the same typical app against @vroom/client and against
// mediasoup-client 3.24.1: minified and minified+gzip bytes, and the ratio.
// Usage: pnpm bench:size   (add --budget=0.9 to fail when the gzip ratio exceeds it,
// --why to list what each module of ours costs)

import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// A typical app: load the device, one send and one recv transport, produce
// camera and microphone, consume a remote producer, pause and close.
const app = (specifier) => `
import { Device } from '${specifier}';

export async function join(signal) {
  const device = new Device();
  await device.load({ routerRtpCapabilities: await signal('getRouterRtpCapabilities') });
  const send = device.createSendTransport(await signal('createWebRtcTransport', { direction: 'send' }));
  send.on('connect', ({ dtlsParameters }, callback, errback) =>
    signal('connectWebRtcTransport', { transportId: send.id, dtlsParameters }).then(callback, errback));
  send.on('produce', (parameters, callback, errback) =>
    signal('produce', { transportId: send.id, ...parameters }).then(callback, errback));
  send.on('connectionstatechange', (state) => console.log('send transport', state));
  const recv = device.createRecvTransport(await signal('createWebRtcTransport', { direction: 'recv' }));
  recv.on('connect', ({ dtlsParameters }, callback, errback) =>
    signal('connectWebRtcTransport', { transportId: recv.id, dtlsParameters }).then(callback, errback));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const [audio, video] = await Promise.all([
    send.produce({ track: stream.getAudioTracks()[0] }),
    send.produce({
      track: stream.getVideoTracks()[0],
      encodings: [{ maxBitrate: 100000 }, { maxBitrate: 300000 }, { maxBitrate: 900000 }],
      codecOptions: { videoGoogleStartBitrate: 1000 },
    }),
  ]);
  const consumer = await recv.consume(await signal('consume', { rtpCapabilities: device.recvRtpCapabilities }));
  video.on('trackended', () => video.close());
  consumer.pause();
  consumer.resume();
  return { device, send, recv, audio, video, consumer, stream: new MediaStream([consumer.track]) };
}
`;

// pnpm can give each package (@vroom/client, mediasoup-client, awaitqueue,
// h264-profile-level-id) its own copy of `debug`; an app's flat install has
// one. Resolve every `debug` import to the copy beside mediasoup-client (the
// same version, 4.4.3, as ours), so both bundles carry exactly one.
const mediasoupClientDir = realpathSync(join(packageDir, 'node_modules', 'mediasoup-client'));
const singleDebug = {
  name: 'single-debug',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^debug$/ }, async (args) => {
      if (args.pluginData === 'single-debug') return undefined;
      return pluginBuild.resolve('debug', {
        resolveDir: mediasoupClientDir,
        kind: args.kind,
        pluginData: 'single-debug',
      });
    });
  },
};

async function measure(name, specifier, options = {}) {
  const result = await build({
    stdin: {
      contents: app(specifier),
      resolveDir: packageDir,
      loader: 'js',
      sourcefile: `${name}-app.js`,
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [singleDebug],
    ...options,
  });
  const code = result.outputFiles[0].contents;
  const text = Buffer.from(code).toString('utf8');
  return {
    name,
    result,
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    // The fake handler and fake parameters must not ride along unimported.
    carriesFakeHandler:
      text.includes('FakeHandler') || text.includes('generateRouterRtpCapabilities'),
  };
}

const ours = await measure('@vroom/client', './src/index.ts');
const theirs = await measure('mediasoup-client 3.24.1', 'mediasoup-client');
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
for (const r of [ours, theirs]) {
  console.log(
    `${r.name.padEnd(24)} min ${kb(r.min)} (${r.min} B)  min+gzip ${kb(r.gzip)} (${r.gzip} B)  fake handler bundled: ${r.carriesFakeHandler}`,
  );
}
const ratio = ours.gzip / theirs.gzip;
console.log(
  `gzip ratio @vroom/client / mediasoup-client: ${ratio.toFixed(3)} (min ratio ${(ours.min / theirs.min).toFixed(3)})`,
);
const budget = process.argv.find((a) => a.startsWith('--budget='));
if (budget && ratio > Number(budget.slice('--budget='.length))) {
  console.error(`over budget: ${ratio.toFixed(3)} > ${budget.slice('--budget='.length)}`);
  process.exit(1);
}

// --why: per module, its minified bytes (esbuild metafile) and what its code
// adds to the gzip size (gzip of the whole minus gzip without it; whitespace
// kept so modules can be cut apart, hence larger than the figures above).
if (process.argv.includes('--why')) {
  const { result } = await measure('@vroom/client', './src/index.ts', { metafile: true });
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const { result: readable } = await measure('@vroom/client', './src/index.ts', {
    minify: false,
    minifySyntax: true,
    minifyIdentifiers: true,
  });
  const parts = readable.outputFiles[0].text.split(/^\/\/ (.*)$/m);
  const chunks = [];
  for (let i = 1; i < parts.length; i += 2) chunks.push({ path: parts[i], body: parts[i + 1] });
  const gzip = (text) => gzipSync(text, { level: 9 }).byteLength;
  const whole = gzip(chunks.map((c) => c.body).join(''));
  const rows = chunks.map((chunk) => ({
    path: chunk.path,
    min: inputs[chunk.path]?.bytesInOutput ?? 0,
    gzip:
      whole -
      gzip(
        chunks
          .filter((c) => c !== chunk)
          .map((c) => c.body)
          .join(''),
      ),
  }));
  console.log('\n  min B  +gzip B  module');
  for (const row of rows.sort((a, b) => b.gzip - a.gzip)) {
    const path = row.path.replace(/.*node_modules\//, '');
    console.log(`${String(row.min).padStart(7)} ${String(row.gzip).padStart(8)}  ${path}`);
  }
}
