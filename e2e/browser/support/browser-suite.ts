import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import type { SsoStack, SsoStackOptions } from './sso-stack';
import { startSsoStack } from './sso-stack';

/** What a browser test file shares across its tests: one stack, one Chromium. */
export interface BrowserSuite {
  readonly stack: SsoStack;
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Starts the stack and Chromium side by side (about 3 s, not 4). When one fails, the other is
 * stopped here, since the caller never receives it and its afterAll could not.
 */
export async function startBrowserSuite(options: SsoStackOptions = {}): Promise<BrowserSuite> {
  const [stack, browser] = await Promise.allSettled([startSsoStack(options), launchChromium()]);
  if (stack.status === 'rejected' || browser.status === 'rejected') {
    if (browser.status === 'fulfilled') await browser.value.close().catch(() => undefined);
    if (stack.status === 'fulfilled') await stack.value.close().catch(() => undefined);
    throw stack.status === 'rejected' ? stack.reason : (browser as PromiseRejectedResult).reason;
  }
  return {
    stack: stack.value,
    browser: browser.value,
    close: async () => {
      // The browser first: its keep-alive connections would hold the servers' close open.
      try {
        await browser.value.close();
      } finally {
        await stack.value.close();
      }
    },
  };
}
