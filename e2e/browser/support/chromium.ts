import { existsSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * Debian's Chromium (package `chromium`), which `.ci/run` installs. playwright-core drives it but
 * never downloads a browser of its own: such downloads fail on machines with no internet but the
 * package registries. TESSERA_CHROMIUM points elsewhere on a developer's machine.
 */
export const CHROMIUM_PATH = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';

/** The realm's root domain: every app and the service have a public name below it. */
export const MAPPED_DOMAIN = 'example.test';

export const CHROMIUM_ARGS: readonly string[] = [
  // CI runs as root, and Chromium's sandbox refuses to start as root.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // The network here reaches nothing but loopback and the package registries: without these,
  // Chromium's own background fetches (updates, sync, safe browsing) fail and slow every start.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Shared memory in the temporary folder, not /dev/shm, which is small in containers (Chromium
  // then crashes). Debian's launcher means to add this itself, but its check of /dev/shm breaks
  // when findmnt lists the mount twice, as it does here.
  '--disable-dev-shm-usage',
  // The browser's own hosts file: sso., shop. and portal.example.test all reach loopback, so the
  // cookies, redirects and CSP origins are those of separate hosts, as in production, and the
  // port in each URL still picks the server.
  `--host-resolver-rules=MAP *.${MAPPED_DOMAIN} 127.0.0.1`,
];

/**
 * Starts headless Chromium. No user data dir is given: playwright-core's `launch` makes a fresh
 * temporary profile and deletes it on `close` (it refuses a `--user-data-dir` argument;
 * `launchPersistentContext` is the API for a kept profile, which these tests do not want).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set TESSERA_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 15_000,
  });
}

/**
 * A fresh context (its own cookie store, like a new private window) with short timeouts, so a
 * page that never arrives fails the test with Playwright's message well before jest's timeout.
 */
export async function newBrowserContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1000, height: 760 },
  });
  context.setDefaultTimeout(5_000);
  context.setDefaultNavigationTimeout(10_000);
  return context;
}

/**
 * `describe` for browser suites. Where Chromium is missing (a developer machine without the
 * package) the suite is skipped with a warning, so `npm test` still needs no set-up; on CI
 * (`CI` set) it runs regardless and fails loudly, because `.ci/run` installs Chromium.
 */
export function describeInChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) {
    describe(name, body);
    return;
  }
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
  );
  describe.skip(name, body);
}
