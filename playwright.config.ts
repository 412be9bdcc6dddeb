import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './e2e/support/chromiumArgs.js';

// Browser tests use Debian's Chromium (apt): Playwright's own browser
// downloads cannot run on machines without internet. Firefox tests drive
// Debian's firefox-esr through puppeteer-core (WebDriver BiDi) inside specs.

export default defineConfig({
  testDir: './e2e/browser',
  globalSetup: './e2e/support/globalSetup.ts',
  outputDir: './test-results',
  // Media tests share 2 cores with a real SFU: one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  retries: process.env.CI ? 1 : 0,
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
