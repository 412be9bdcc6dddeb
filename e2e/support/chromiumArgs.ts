/**
 * Flags for Debian's Chromium in tests and benchmarks: fake camera and
 * microphone, no prompts, and nothing that reaches for the internet (these
 * machines have none; without them Chromium retries connections all run long).
 */
export const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
