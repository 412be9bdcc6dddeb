import { after } from 'node:test';

/**
 * @roamhq/wrtc 0.10 crashes in its native finalizers when Node tears down
 * after a track was sent (SIGSEGV at exit, after every test passed). Test
 * files that send media through it call this once: when the file's tests are
 * done it exits explicitly, keeping the runner's verdict in the exit code.
 * The delay lets the reporter flush the results first.
 */
export function exitExplicitlyAfterWrtc(): void {
  after(() => {
    setTimeout(() => process.exit(process.exitCode ?? 0), 300);
  });
}
