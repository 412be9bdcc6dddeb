// Test network namespaces: a private host reached over a veth pair.
//
// Firefox gathers no loopback ICE candidates, so a server it must reach runs
// inside a namespace with a real (virtual) link: `<prefix>.1` on the host
// side, `<prefix>.2` inside. Tests that cut or slow that link (outages,
// network changes) reuse the same helper. Every namespace this module makes
// carries the `vroom-` prefix, so a crashed run's leftovers are recognised
// and removed by name, and nothing else on the machine is touched.
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { once } from 'node:events';

const NAME_PREFIX = 'vroom-';
/** Interface names are limited to 15 bytes by the kernel. */
const MAX_IFNAME = 15;

export interface TestNetnsOptions {
  /** Short name, e.g. 'loop' -> namespace `vroom-loop`, veths `vloop-h` / `vloop-n`. */
  name: string;
  /** The /24 to use, as its first three octets: '10.77.0'. Distinct per test file. */
  subnet: string;
}

export interface TestNetns {
  /** The namespace's name (`ip netns exec <name> ...`). */
  readonly name: string;
  /** Address of the host end of the link (what the namespace sees the host as). */
  readonly hostIp: string;
  /** Address inside the namespace (where its servers listen). */
  readonly innerIp: string;
  /** The host-side and namespace-side veth names (cut the link with `setLink`). */
  readonly hostVeth: string;
  readonly innerVeth: string;
  /** Runs a command inside the namespace; it is killed by `delete()`. */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Runs a short command inside the namespace and returns its stdout. */
  exec(command: string, args: string[]): string;
  /** Brings the inner end of the link down (an outage) or back up. */
  setLink(up: boolean): void;
  /** Stops what `spawn` started and removes the namespace and its link. Idempotent. */
  delete(): Promise<void>;
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryIp(args: string[]): void {
  try {
    ip(args);
  } catch {
    // Absent already: cleanup is idempotent.
  }
}

function namespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);
}

/**
 * Removes one of our namespaces left over by a crashed run: first the
 * processes that run was keeping inside it (each by pid), then the namespace
 * and its host-side veth (deleting either end of a veth pair deletes both).
 */
export function removeNetns(name: string, hostVeth?: string): void {
  if (!name.startsWith(NAME_PREFIX))
    throw new Error(`refusing to remove "${name}": not a test namespace`);
  if (namespaces().includes(name)) {
    let pids: string[] = [];
    try {
      pids = ip(['netns', 'pids', name]).split('\n').filter(Boolean);
    } catch {
      pids = [];
    }
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    tryIp(['netns', 'delete', name]);
  }
  if (hostVeth) tryIp(['link', 'delete', hostVeth]);
}

/** Removes every `vroom-*` namespace (e.g. from a global setup after a crash). */
export function removeAllTestNetns(): void {
  for (const name of namespaces()) if (name.startsWith(NAME_PREFIX)) removeNetns(name);
}

function vethNames(name: string): { hostVeth: string; innerVeth: string } {
  const base = `v${name}`.slice(0, MAX_IFNAME - 2);
  return { hostVeth: `${base}-h`, innerVeth: `${base}-n` };
}

/**
 * Creates `vroom-<name>` with a veth pair to the host, replacing a stale one
 * of the same name. The namespace is also removed if the test process exits
 * without calling `delete()` (a failed assertion, a thrown setup).
 */
export function createTestNetns(options: TestNetnsOptions): TestNetns {
  if (!/^[a-z0-9]{1,9}$/.test(options.name)) {
    throw new Error(`netns name "${options.name}": use 1-9 lowercase letters or digits`);
  }
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(options.subnet)) {
    throw new Error(`subnet "${options.subnet}": give the first three octets, e.g. '10.77.0'`);
  }
  const name = `${NAME_PREFIX}${options.name}`;
  const { hostVeth, innerVeth } = vethNames(options.name);
  const hostIp = `${options.subnet}.1`;
  const innerIp = `${options.subnet}.2`;
  removeNetns(name, hostVeth);

  const children = new Set<ChildProcess>();
  let deleted = false;
  const removeNow = () => {
    if (deleted) return;
    deleted = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    removeNetns(name, hostVeth);
  };
  // Synchronous, so it also runs from 'exit' when the test process ends abruptly.
  process.once('exit', removeNow);

  try {
    ip(['netns', 'add', name]);
    ip(['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', innerVeth]);
    ip(['link', 'set', innerVeth, 'netns', name]);
    ip(['addr', 'add', `${hostIp}/24`, 'dev', hostVeth]);
    ip(['link', 'set', hostVeth, 'up']);
    ip(['-n', name, 'addr', 'add', `${innerIp}/24`, 'dev', innerVeth]);
    ip(['-n', name, 'link', 'set', innerVeth, 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    removeNow();
    process.off('exit', removeNow);
    throw error;
  }

  return {
    name,
    hostIp,
    innerIp,
    hostVeth,
    innerVeth,
    spawn(command, args, spawnOptions = {}) {
      if (deleted) throw new Error(`netns ${name} was deleted`);
      const child = spawn('ip', ['netns', 'exec', name, command, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...spawnOptions,
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    exec(command, args) {
      return execFileSync('ip', ['netns', 'exec', name, command, ...args], { encoding: 'utf8' });
    },
    setLink(up) {
      ip(['-n', name, 'link', 'set', innerVeth, up ? 'up' : 'down']);
    },
    async delete() {
      if (deleted) return;
      // Ask politely first so servers close their workers; then remove everything.
      const exits = [...children]
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => {
          child.kill('SIGTERM');
          return Promise.race([
            once(child, 'exit'),
            new Promise((resolve) => setTimeout(resolve, 3000)),
          ]);
        });
      await Promise.all(exits);
      removeNow();
      process.off('exit', removeNow);
    },
  };
}

/**
 * Resolves with the first line of `child`'s stdout (or `stream`) that matches
 * `pattern` (e.g. a server's "listening" line); rejects if the child exits first.
 */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 30_000,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${pattern} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const line = lines.find((candidate) => pattern.test(candidate));
      if (line !== undefined) finish(undefined, line);
    };
    const onStderr = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    };
    const watched = stream === 'stdout' ? child.stdout : child.stderr;
    const onExit = (code: number | null) =>
      finish(new Error(`process exited (${code}) before printing ${pattern}; stderr:\n${stderr}`));
    function finish(error: Error | undefined, line?: string) {
      clearTimeout(timer);
      watched?.off('data', onData);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
      // Keep draining both pipes, or a chatty child would block on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve(line ?? '');
    }
    watched?.on('data', onData);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
  });
}
