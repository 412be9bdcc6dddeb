// Installs what the project needs on a machine that has only Node and npm:
//  - pnpm (pinned in package.json, run through npx: no global install),
//  - every package dependency, which builds the mediasoup worker from source
//    (about 4 minutes on 2 cores, once; pnpm then keeps it),
//  - with --browsers: Chromium and Firefox ESR from Debian's packages (apt),
//    for the browser tests (about 3 minutes, once),
//  - ffmpeg, GStreamer (tools + base/good/bad plugins) and redis-server from
//    apt, for media in/out, recording and the cluster mode (~2 min, once).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pnpmSpec = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).packageManager;

export function pnpm(args, options = {}) {
  execFileSync('npx', ['-y', pnpmSpec, ...args], { cwd: root, stdio: 'inherit', ...options });
}

export function installDependencies() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  console.log(
    `[setup] installing dependencies with ${pnpmSpec} (the first run builds the mediasoup worker: ~4 min)`,
  );
  pnpm(['install', ...frozen]);
}

// Debian package -> a file it installs. iproute2 (`ip netns`) gives the
// Firefox and network-outage tests their own test network namespaces.
export const BROWSERS = {
  chromium: '/usr/bin/chromium',
  'firefox-esr': '/usr/bin/firefox-esr',
  iproute2: '/usr/sbin/ip',
};

// The media tools (RTP in and out, recording: the example's broadcast and
// record commands and their tests) and Redis (the cluster mode and its tests).
export const SYSTEM_TOOLS = {
  ffmpeg: '/usr/bin/ffmpeg',
  'gstreamer1.0-tools': '/usr/bin/gst-launch-1.0',
  'gstreamer1.0-plugins-base': '/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstopus.so',
  'gstreamer1.0-plugins-good': '/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstrtp.so',
  'gstreamer1.0-plugins-bad': '/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstsrtp.so',
  'redis-server': '/usr/bin/redis-server',
};

/** Installs the Debian packages of `packages` (name -> a file it installs) that are missing. */
export function installAptPackages(packages, why, extraArgs = []) {
  const missing = Object.entries(packages)
    .filter(([, path]) => !existsSync(path))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  console.log(`[setup] installing ${missing.join(', ')} with apt (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // As root (CI, containers) call apt-get directly; elsewhere through sudo.
  const aptGet = (args) =>
    process.getuid?.() === 0
      ? execFileSync('apt-get', args, { stdio: 'inherit', env })
      : execFileSync('sudo', ['apt-get', ...args], { stdio: 'inherit', env });
  try {
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', ...extraArgs, ...missing]);
  } catch (error) {
    throw new Error(
      `could not install ${missing.join(' and ')} with apt (${error.message}). ` +
        `Install them yourself (Debian/Ubuntu: apt-get install ${missing.join(' ')}) and run again.`,
    );
  }
}

export function installBrowsers() {
  installAptPackages(BROWSERS, '~3 min, once');
}

export function installSystemTools() {
  installAptPackages(SYSTEM_TOOLS, 'ffmpeg, GStreamer and Redis: ~1 min, once', [
    '--no-install-recommends',
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  installDependencies();
  installSystemTools();
  if (process.argv.includes('--browsers')) installBrowsers();
}
