// Installs what the project needs on a machine that has only Node and npm:
//  - pnpm (pinned in package.json, run through npx: no global install),
//  - every package dependency, which builds the mediasoup worker from source
//    (about 4 minutes on 2 cores, once; pnpm then keeps it),
//  - with --browsers: Chromium and Firefox ESR from Debian's packages (apt),
//    for the browser tests (about 3 minutes, once).
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

export function installBrowsers() {
  const missing = Object.entries(BROWSERS)
    .filter(([, path]) => !existsSync(path))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  console.log(`[setup] installing ${missing.join(', ')} with apt (~3 min, once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // As root (CI, containers) call apt-get directly; elsewhere through sudo.
  const aptGet = (args) =>
    process.getuid?.() === 0
      ? execFileSync('apt-get', args, { stdio: 'inherit', env })
      : execFileSync('sudo', ['apt-get', ...args], { stdio: 'inherit', env });
  try {
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', ...missing]);
  } catch (error) {
    throw new Error(
      `could not install ${missing.join(' and ')} with apt (${error.message}). ` +
        `Install them yourself (Debian/Ubuntu: apt-get install ${missing.join(' ')}) and run again.`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  installDependencies();
  if (process.argv.includes('--browsers')) installBrowsers();
}
