import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BrowserSuite } from './support/browser-suite';
import { startBrowserSuite } from './support/browser-suite';
import { describeInChromium, newBrowserContext } from './support/chromium';
import type { Hop } from './support/pages';
import {
  cartOf,
  hopLine,
  recordCspViolations,
  recordNavigations,
  screenshot,
  shownAs,
  submitPassword,
  themeOf,
} from './support/pages';
import type { SsoStack } from './support/sso-stack';

// Each test is a few seconds (argon2 hashes dominate); a stuck page fails on Playwright's own
// 5 s action and 10 s navigation timeouts first, so the suite stays well under a minute.
const TEST_TIMEOUT_MS = 20_000;

/**
 * Single sign-on as a person meets it, in headless Chromium: the service, a real upstream OpenID
 * provider and the two demo apps on loopback under their public names (sso., shop. and
 * portal.example.test), so cookies, SameSite, redirects and the pages' CSP are the browser's own.
 */
describeInChromium('browser: single sign-on across shop and portal', () => {
  let suite: BrowserSuite | undefined;
  let stack: SsoStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let hops: Hop[];
  let cspViolations: string[];

  beforeAll(async () => {
    suite = await startBrowserSuite();
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
    expect(cspViolations).toEqual([]);
    expect(stack.appLog).toEqual([]);
  });

  const ssoHost = () => new URL(stack.sso).host;

  /** Opens an app's home page signed out and expects Tessera's login page for that app. */
  async function openAtLoginPage(app: string, appName: string) {
    await page.goto(`${app}/`);
    expect(page.url()).toBe(`${stack.sso}/login`);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(`to continue to ${appName}`).isVisible()).resolves.toBe(true);
  }

  it(
    'signs in at shop through the upstream provider, then opens portal with no prompt',
    async () => {
      await openAtLoginPage(stack.shop, 'shop');
      await page.getByRole('link', { name: stack.provider.displayName }).click();

      // The provider's own sign-in page, on its own origin.
      await page.getByRole('heading', { name: 'Test provider sign-in' }).waitFor();
      expect(new URL(page.url()).origin).toBe(stack.provider.issuer);
      await page.getByLabel('Username').fill(stack.provider.account.sub);
      await page.getByLabel('Password').fill(stack.provider.account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.waitForURL(`${stack.shop}/`);
      expect(await shownAs(page, 'Subject')).toBe(`${stack.provider.id}:alice-7`);
      expect(await shownAs(page, 'Name')).toBe('Alice Example');
      // The handshake cookie and the pending login were both used up by the callback.
      const names = (await context.cookies()).map((cookie) => cookie.name);
      expect(names).not.toContain('tessera_upstream');
      expect(names).not.toContain('tessera_login');

      // A person follows the link to portal: the next page they see is portal, signed in.
      hops.length = 0;
      const before = stack.serviceRequests.length;
      await page.getByRole('link', { name: 'portal', exact: true }).click();
      await page.waitForURL(`${stack.portal}/`);
      expect(await shownAs(page, 'Subject')).toBe(`${stack.provider.id}:alice-7`);
      expect(await shownAs(page, 'Name')).toBe('Alice Example');

      const portalHost = new URL(stack.portal).host;
      expect(hops.map(hopLine)).toEqual([
        `302 GET ${portalHost}/`,
        `303 GET ${ssoHost()}/authorize`,
        `303 GET ${portalHost}/auth/callback`,
        `200 GET ${portalHost}/`,
      ]);
      // Nothing of Tessera was rendered in between: the only request the browser made there was
      // /authorize, answered by a redirect; the rest came from portal's backend (code, session).
      const fromBrowser = stack.serviceRequests
        .slice(before)
        .filter((line) => !/^\w+ \/(token|api\/)/.test(line));
      expect(fromBrowser).toEqual(['GET /authorize 303']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'signs in at portal with a local account on the login page',
    async () => {
      await openAtLoginPage(stack.portal, 'portal');
      await screenshot(page, 'login-page');

      await submitPassword(page, stack.account.username, stack.account.password);
      await page.waitForURL(`${stack.portal}/`);
      expect(await shownAs(page, 'Subject')).toBe(stack.account.subject);
      expect(await shownAs(page, 'Name')).toBe(stack.account.name);
      expect(hops.map(hopLine)).toEqual([
        `302 GET ${new URL(stack.portal).host}/`,
        `303 GET ${ssoHost()}/authorize`,
        `200 GET ${ssoHost()}/login`,
        `303 POST ${ssoHost()}/login`,
        `303 GET ${new URL(stack.portal).host}/auth/callback`,
        `200 GET ${new URL(stack.portal).host}/`,
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shares the cart set in shop with portal, but not the theme',
    async () => {
      await openAtLoginPage(stack.shop, 'shop');
      await submitPassword(page, stack.account.username, stack.account.password);
      await page.waitForURL(`${stack.shop}/`);

      await page.getByLabel('Item').fill('teapot');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.locator('li', { hasText: 'teapot' }).waitFor();
      await page.getByLabel('Theme').selectOption('dark');
      await page.getByRole('button', { name: 'Save' }).click();
      // The URL does not change (post, then redirect home): wait for the new page's theme itself.
      await page.locator('body.theme-dark').waitFor();

      await page.getByRole('link', { name: 'portal', exact: true }).click();
      await page.waitForURL(`${stack.portal}/`);
      expect(await cartOf(page)).toEqual(['teapot']);
      await screenshot(page, 'portal-with-shared-cart');
      // pref-theme is private to shop: portal keeps its own, still the default.
      expect(await themeOf(page)).toBe('theme-light');
      await expect(page.getByLabel('Theme').inputValue()).resolves.toBe('light');

      // Portal writes the shared cart too; shop sees that, and its own theme is untouched.
      await page.getByLabel('Item').fill('kettle');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.locator('li', { hasText: 'kettle' }).waitFor();
      await page.getByRole('link', { name: 'shop', exact: true }).click();
      await page.waitForURL(`${stack.shop}/`);
      expect(await cartOf(page)).toEqual(['teapot', 'kettle']);
      expect(await themeOf(page)).toBe('theme-dark');
    },
    TEST_TIMEOUT_MS,
  );
});
