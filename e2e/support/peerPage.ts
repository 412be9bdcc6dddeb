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

/**
 * `VROOM_PAGE_DEBUG=vroom:room*` (any `debug` pattern) turns the SDK's logs
 * on in every page and prints them here, stamped with the wall clock's
 * seconds, to see what a client did around a fault.
 */
const pageDebug = process.env.VROOM_PAGE_DEBUG;

function printPageLog(label: string, text: string): void {
  console.log(`${((Date.now() % 100_000) / 1000).toFixed(3)} [${label}] ${text.slice(0, 400)}`);
}

export function playwrightPeers(browser: PlaywrightBrowser): PeerBrowser {
  return {
    async newPage(label) {
      const context = await browser.newContext();
      if (pageDebug) {
        await context.addInitScript((pattern) => localStorage.setItem('debug', pattern), pageDebug);
      }
      const page = await context.newPage();
      page.on('pageerror', (error) => console.log(`[${label}] page error: ${error.message}`));
      if (pageDebug) page.on('console', (message) => printPageLog(label, message.text()));
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
      if (pageDebug) {
        await page.evaluateOnNewDocument(
          (pattern) => localStorage.setItem('debug', pattern),
          pageDebug,
        );
        page.on('console', (message) => printPageLog(label, message.text()));
      }
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
