// Installs what the project needs on a machine that has only Node and npm:
//  - pnpm (pinned in package.json, run through npx: no global install),
//  - every package dependency, which builds the mediasoup worker from source
//    (about 4 minutes on 2 cores, once; pnpm then keeps it),
//  - with --browsers: Chromium and Firefox ESR from Debian's packages (apt),
//    for the browser tests (about 3 minutes, once),
//  - ffmpeg, GStreamer (tools + base/good/bad plugins) and redis-server from
//    apt, for media in/out, recording and the cluster mode (~2 min, once).
// Each install is a quiet step (steps.mjs): one progress line with the
// elapsed time, the full output in .logs/, shown only when it fails.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exitOnStepError, runStep } from './steps.mjs';

export const pnpmSpec = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).packageManager;

/** What pnpm is doing, from its output: the worker build is the long part of a first run. */
const INSTALL_PHASES = [
  { match: /^Progress: resolved/, label: 'fetching packages' },
  {
    match: /mediasoup.*(postinstall|install)\b/i,
    label: 'building the mediasoup worker (~4 min, once)',
  },
];

export async function installDependencies() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  await runStep({
    title: `installing dependencies (${pnpmSpec})`,
    command: 'npx',
    args: ['-y', pnpmSpec, 'install', ...frozen],
    log: 'install',
    phases: INSTALL_PHASES,
  });
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
export async function installAptPackages(packages, why, extraArgs = []) {
  const missing = Object.entries(packages)
    .filter(([, path]) => !existsSync(path))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // As root (CI, containers) call apt-get directly; elsewhere through sudo
  // (its password prompt goes to the terminal itself, not to the log).
  const asRoot = process.getuid?.() === 0;
  const aptGet = (title, args) =>
    runStep({
      title,
      command: asRoot ? 'apt-get' : 'sudo',
      args: asRoot ? args : ['apt-get', ...args],
      env,
      log: 'apt',
    });
  try {
    await aptGet('updating the apt package lists', ['update', '-qq']);
    await aptGet(`installing ${missing.join(', ')} with apt (${why})`, [
      'install',
      '-y',
      '-qq',
      ...extraArgs,
      ...missing,
    ]);
  } catch (error) {
    if (error.name !== 'StepFailedError') throw error;
    error.advice = `Install ${missing.join(' and ')} yourself (Debian/Ubuntu: apt-get install ${missing.join(' ')}) and run again.`;
    throw error;
  }
}

export function installBrowsers() {
  return installAptPackages(BROWSERS, '~3 min, once');
}

export function installSystemTools() {
  return installAptPackages(SYSTEM_TOOLS, 'ffmpeg, GStreamer and Redis: ~1 min, once', [
    '--no-install-recommends',
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await installDependencies();
    await installSystemTools();
    if (process.argv.includes('--browsers')) await installBrowsers();
  } catch (error) {
    exitOnStepError(error);
  }
}
