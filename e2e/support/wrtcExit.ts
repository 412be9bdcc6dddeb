/**
 * Works around @roamhq/wrtc 0.10 crashing (SIGSEGV / abort) while Node tears
 * its environment down after a natural exit, once peer connections carried
 * media, even when every connection, source and sink was closed first.
 * Exiting explicitly when the event loop is empty (`beforeExit`: every test
 * has run and reported) skips that teardown; the exit code is kept.
 */
export function exitBeforeWrtcTeardown(): void {
  process.once('beforeExit', () => process.exit(process.exitCode ?? 0));
}
