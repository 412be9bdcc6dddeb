// Firefox ESR running INSIDE a test network namespace, driven from the host.
//
// puppeteer.launch() cannot do this: it reaches Firefox's WebDriver BiDi
// server on 127.0.0.1, and a browser inside a namespace listens on that
// namespace's own loopback, which the host cannot reach. So Firefox is
// started here, inside the namespace (headless, `--remote-debugging-port=0`,
// a temporary profile whose user.js holds the prefs a launch would set), and
// a small relay inside the namespace (support/unixSocketRelay.ts) joins a
// unix socket to its BiDi port: filesystem sockets cross network namespaces.
// The test process speaks WebSocket over that unix socket and hands it to
// puppeteer as its transport. The namespace's external link can then go down
// and up (an outage) without touching the control connection, which runs
// over the namespace's loopback and a socket file only.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type ConnectionTransport } from 'puppeteer-core';
import WebSocket from 'ws';
import { type TestNetns, waitForLine } from './netns.js';

export type FirefoxPrefs = Record<string, string | number | boolean>;

export interface FirefoxInNetnsOptions {
  netns: TestNetns;
  /** Prefs for the page's needs (fake media, secure-context allowlist...), over the defaults below. */
  prefs?: FirefoxPrefs;
  executablePath?: string;
  /** Bounds Firefox's start-up and the relay's (a hang becomes an error). */
  startLimitMs?: number;
}

export interface FirefoxInNetns {
  readonly browser: Browser;
  /** Closes the browser, stops Firefox and the relay, removes the profile and socket. Idempotent. */
  close(): Promise<void>;
}

/**
 * Prefs every run gets: a quiet automation profile (no first-run pages,
 * updates, telemetry or remote settings that would reach for a network that
 * is not there), a subset of what puppeteer's own launch sets. Left out on
 * purpose: `network.manage-offline-status: false`, so Firefox watches its
 * link as it would on a user's machine.
 */
const QUIET_PREFS: FirefoxPrefs = {
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.sessionstore.resume_from_crash': false,
  'browser.newtabpage.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'extensions.update.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'services.settings.server': 'data:,#no-remote-settings',
  'toolkit.startup.max_resumed_crashes': -1,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  // A background tab must not be throttled while the test reads it.
  'dom.min_background_timeout_value': 0,
  'hangmonitor.timeout': 0,
  'dom.max_script_run_time': 0,
  // puppeteer sets it for its BiDi input dispatch: one content process for all pages.
  'fission.webContentIsolationStrategy': 0,
};

function userJs(prefs: FirefoxPrefs): string {
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});\n`)
    .join('');
}

/** A puppeteer transport over one WebSocket (here: over a unix socket). */
function webSocketTransport(socket: WebSocket): ConnectionTransport {
  const transport: ConnectionTransport = {
    send(message) {
      socket.send(message);
    },
    close() {
      socket.close();
    },
  };
  socket.on('message', (data) => transport.onmessage?.(data.toString()));
  socket.on('close', () => transport.onclose?.());
  // An error is followed by 'close'; without a listener it would throw.
  socket.on('error', () => undefined);
  return transport;
}

async function stop(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts Firefox and its relay inside `options.netns` and connects puppeteer to it. */
export async function launchFirefoxInNetns(
  options: FirefoxInNetnsOptions,
): Promise<FirefoxInNetns> {
  const limitMs = options.startLimitMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'vroom-firefox-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Also when the test process ends without close() (the namespace's own
  // exit hook kills the processes).
  process.once('exit', removeDir);
  const profile = join(dir, 'profile');
  const socketPath = join(dir, 'bidi.sock');
  mkdirSync(profile);
  writeFileSync(join(profile, 'user.js'), userJs({ ...QUIET_PREFS, ...options.prefs }));

  const children: ChildProcess[] = [];
  let browser: Browser | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Politely first (BiDi browser.close), bounded: a wedged browser is killed below.
    if (browser) {
      await Promise.race([
        browser.close().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ]);
    }
    for (const child of children.reverse()) await stop(child, 3000);
    removeDir();
    process.off('exit', removeDir);
  };

  try {
    const firefox = options.netns.spawn(
      options.executablePath ?? '/usr/bin/firefox-esr',
      [
        '--headless',
        '--no-remote',
        '--profile',
        profile,
        '--remote-debugging-port=0',
        'about:blank',
      ],
      { env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } },
    );
    children.push(firefox);
    const listening = await waitForLine(
      firefox,
      /WebDriver BiDi listening on ws:\/\/127\.0\.0\.1:\d+/,
      limitMs,
      'stderr',
    );
    const port = /127\.0\.0\.1:(\d+)/.exec(listening)?.[1];
    if (!port) throw new Error(`no port in Firefox's line "${listening}"`);

    const relayMain = fileURLToPath(new URL('./unixSocketRelay.ts', import.meta.url));
    const relay = options.netns.spawn(process.execPath, [
      '--import',
      'tsx',
      relayMain,
      socketPath,
      port,
    ]);
    children.push(relay);
    await waitForLine(relay, /^RELAY_READY$/, limitMs);

    // Firefox accepts only a Host it serves (its own address and port) and no Origin.
    const socket = new WebSocket(`ws+unix:${socketPath}:/session`, {
      headers: { Host: `127.0.0.1:${port}` },
      handshakeTimeout: limitMs,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    browser = await puppeteer.connect({
      transport: webSocketTransport(socket),
      protocol: 'webDriverBiDi',
    });
    return { browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}
