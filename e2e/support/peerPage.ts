// A page of the example app as the recovery rig drives it, whichever driver
// runs the browser: Playwright (Chromium) or puppeteer (Firefox over WebDriver
// BiDi). The rig only ever runs functions in the page and waits for a
// condition there, so that is all this asks of a driver; each page gets its
// own browser context (no shared storage between peers of one browser).
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';

export interface PeerPage {
  /** Runs `fn(arg)` in the page and resolves with its (serialisable) result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Resolves once `fn()` is truthy in the page; rejects after `limitMs`. */
  waitFor(fn: () => unknown, limitMs: number): Promise<void>;
  goto(url: string): Promise<void>;
  /** Closes the page and its context. */
  close(): Promise<void>;
}

export interface PeerBrowser {
  /** A new page in a fresh context; its page errors are logged under `label`. */
  newPage(label: string): Promise<PeerPage>;
  close(): Promise<void>;
}

export function playwrightPeers(browser: PlaywrightBrowser): PeerBrowser {
  return {
    async newPage(label) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => console.log(`[${label}] page error: ${error.message}`));
      return {
        // Playwright's types unbox the argument per call; the rig's are plain data.
        evaluate: (fn, arg) => page.evaluate(fn as never, arg as never),
        async waitFor(fn, limitMs) {
          await page.waitForFunction(fn, undefined, { timeout: limitMs });
        },
        async goto(url) {
          await page.goto(url);
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

export function puppeteerPeers(browser: PuppeteerBrowser): PeerBrowser {
  return {
    async newPage(label) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => console.log(`[${label}] page error: ${String(error)}`));
      return {
        evaluate: (fn, arg) => page.evaluate(fn as never, arg as never) as never,
        async waitFor(fn, limitMs) {
          await page.waitForFunction(fn, { timeout: limitMs, polling: 100 });
        },
        async goto(url) {
          await page.goto(url);
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
