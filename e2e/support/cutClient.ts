// One browser behind its own cuttable link.
//
// The server runs in the root namespace and listens on the host end of a veth
// (`<primary>.1`). The cut client's browser runs INSIDE a test namespace
// (`ip netns exec` through a small wrapper script given to Playwright as its
// `executablePath`; Playwright drives it over the inherited pipe, which
// crosses namespaces). So bringing that namespace's link down cuts this one
// client and nobody else: other browsers on the host reach the same address
// locally and never notice.
//
// A second link (`<secondary>.0/24`) waits, down, for a "network change":
// `switchLink()` takes the first link down and routes the client to the
// server's address over the second one, from a new address in another subnet,
// as a laptop moving from Wi-Fi to a wired port would (and back, next time).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNetns, type TestNetns } from './netns.js';

export interface CutClientOptions {
  /** Short name (1-9 lowercase letters or digits): namespace `vroom-<name>`. */
  name: string;
  /** First three octets of the first link's /24; the server listens on `<primary>.1`. */
  primary: string;
  /** First three octets of the second link's /24 (the network the client moves to). */
  secondary: string;
  /** The browser binary the wrapper runs inside the namespace. */
  browser?: string;
}

export interface CutClient {
  readonly netns: TestNetns;
  /** Where servers meant for everyone listen: the host end of the first link. */
  readonly serverIp: string;
  /** A script to give as `executablePath`: runs the browser inside the namespace. */
  readonly executablePath: string;
  /** Cuts (false) or restores (true) the client's current link. */
  setLink(up: boolean): void;
  /**
   * Network change: the current link goes down and the other comes up, the
   * route to the server following it (primary -> secondary -> primary...).
   */
  switchLink(): void;
  /** Which link carries the client now. */
  readonly current: 'primary' | 'secondary';
  /** Stops the browser and removes both links and the namespace. Idempotent. */
  delete(): Promise<void>;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function tryIp(args: string[]): void {
  try {
    ip(args);
  } catch {
    // Absent already.
  }
}

/** Creates the namespace, both links (the second down) and the wrapper script. */
export function createCutClient(options: CutClientOptions): CutClient {
  const netns = createTestNetns({ name: options.name, subnet: options.primary });
  const base = `v${options.name}`.slice(0, 13 - 1);
  const hostVeth2 = `${base}-i`;
  const innerVeth2 = `${base}-j`;
  const host2 = `${options.secondary}.1`;
  const inner2 = `${options.secondary}.2`;
  tryIp(['link', 'delete', hostVeth2]);
  const dir = mkdtempSync(join(tmpdir(), `vroom-${options.name}-`));
  const executablePath = join(dir, 'browser-in-netns.sh');
  try {
    ip(['link', 'add', hostVeth2, 'type', 'veth', 'peer', 'name', innerVeth2]);
    ip(['link', 'set', innerVeth2, 'netns', netns.name]);
    ip(['addr', 'add', `${host2}/24`, 'dev', hostVeth2]);
    ip(['link', 'set', hostVeth2, 'up']);
    // The second address is added when the client moves there (switchLink).
    // `exec`: the browser keeps the wrapper's pid, so Playwright's kill reaches it.
    writeFileSync(
      executablePath,
      `#!/bin/sh\nexec ip netns exec ${netns.name} ${options.browser ?? '/usr/bin/chromium'} "$@"\n`,
    );
    chmodSync(executablePath, 0o755);
  } catch (error) {
    tryIp(['link', 'delete', hostVeth2]);
    rmSync(dir, { recursive: true, force: true });
    void netns.delete();
    throw error;
  }

  let current: 'primary' | 'secondary' = 'primary';
  const routeViaSecondary = () =>
    ip(['-n', netns.name, 'route', 'replace', `${netns.hostIp}/32`, 'via', host2]);
  return {
    netns,
    serverIp: netns.hostIp,
    executablePath,
    get current() {
      return current;
    },
    setLink(up) {
      const veth = current === 'primary' ? netns.innerVeth : innerVeth2;
      ip(['-n', netns.name, 'link', 'set', veth, up ? 'up' : 'down']);
      // A link going down takes its routes along: put the server's back.
      if (up && current === 'secondary') routeViaSecondary();
    },
    switchLink() {
      const leaving =
        current === 'primary'
          ? { veth: netns.innerVeth, address: `${netns.innerIp}/24` }
          : { veth: innerVeth2, address: `${inner2}/24` };
      const entering =
        current === 'primary'
          ? { veth: innerVeth2, address: `${inner2}/24` }
          : { veth: netns.innerVeth, address: `${netns.innerIp}/24` };
      // The address goes away with its link: sockets bound to it stop
      // working both ways, as when a laptop leaves a Wi-Fi network.
      ip(['-n', netns.name, 'addr', 'del', leaving.address, 'dev', leaving.veth]);
      ip(['-n', netns.name, 'link', 'set', leaving.veth, 'down']);
      ip(['-n', netns.name, 'addr', 'add', entering.address, 'dev', entering.veth]);
      ip(['-n', netns.name, 'link', 'set', entering.veth, 'up']);
      // The server's address is on the host end of the first link: from the
      // second, reach it through the host (the route goes with the link).
      if (current === 'primary') routeViaSecondary();
      current = current === 'primary' ? 'secondary' : 'primary';
    },
    async delete() {
      await netns.delete();
      tryIp(['link', 'delete', hostVeth2]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
