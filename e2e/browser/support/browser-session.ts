import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BrowserSuite } from './browser-suite';
import { startBrowserSuite } from './browser-suite';
import { newBrowserContext } from './chromium';
import type { Hop } from './pages';
import { recordCspViolations, recordNavigations } from './pages';
import type { SsoStack, SsoStackOptions } from './sso-stack';

export interface BrowserSessionOptions {
  /** Passed to the stack, e.g. `{ backchannelLogout: true }`. */
  readonly suite?: SsoStackOptions;
  /** Further checks after each test, once its context is closed and no CSP violation was seen. */
  readonly afterEach?: (session: BrowserSession) => void | Promise<void>;
}

/** The suite's stack and browser, and the current test's context, page and records. */
export interface BrowserSession {
  readonly stack: SsoStack;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The current page's navigations, in order; tests may empty it (`hops.length = 0`). */
  readonly hops: Hop[];
  readonly cspViolations: string[];
}

/**
 * Registers the hooks a browser spec shares, inside its `describeInChromium` body: one stack and
 * one Chromium for the file (beforeAll/afterAll), and per test a fresh context and page that
 * record their navigations and CSP violations, closed afterwards with no violation allowed.
 * The getters give the current values, so read them inside tests, not at registration.
 */
export function useBrowserSession(options: BrowserSessionOptions = {}): BrowserSession {
  let suite: BrowserSuite | undefined;
  let stack: SsoStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let hops: Hop[];
  let cspViolations: string[];

  const session: BrowserSession = {
    get stack() {
      return stack;
    },
    get browser() {
      return browser;
    },
    get context() {
      return context;
    },
    get page() {
      return page;
    },
    get hops() {
      return hops;
    },
    get cspViolations() {
      return cspViolations;
    },
  };

  beforeAll(async () => {
    suite = await startBrowserSuite(options.suite);
    ({ stack, browser } = suite);
  }, 40_000);

  afterAll(() => suite?.close(), 20_000);

  beforeEach(async () => {
    context = await newBrowserContext(browser);
    page = await context.newPage();
    hops = recordNavigations(page);
    cspViolations = recordCspViolations(page);
  });

  afterEach(async () => {
    await context?.close();
    // Every page, error pages included, must load its stylesheet and scripts within its CSP.
    expect(cspViolations).toEqual([]);
    await options.afterEach?.(session);
  });

  return session;
}
