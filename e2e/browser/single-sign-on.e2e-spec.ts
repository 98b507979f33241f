import { useBrowserSession } from './support/browser-session';
import { describeInChromium } from './support/chromium';
import { cartOf, hopLine, screenshot, shownAs, submitPassword, themeOf } from './support/pages';

// Each test is a few seconds (argon2 hashes dominate); a stuck page fails on Playwright's own
// 5 s action and 10 s navigation timeouts first, so the suite stays well under a minute.
const TEST_TIMEOUT_MS = 20_000;

/**
 * Single sign-on as a person meets it, in headless Chromium: the service, a real upstream OpenID
 * provider and the two demo apps on loopback under their public names (sso., shop. and
 * portal.example.test), so cookies, SameSite, redirects and the pages' CSP are the browser's own.
 */
describeInChromium('browser: single sign-on across shop and portal', () => {
  const env = useBrowserSession({
    afterEach: ({ stack }) => expect(stack.appLog).toEqual([]),
  });

  const ssoHost = () => new URL(env.stack.sso).host;

  /** Opens an app's home page signed out and expects Tessera's login page for that app. */
  async function openAtLoginPage(app: string, appName: string) {
    await env.page.goto(`${app}/`);
    expect(env.page.url()).toBe(`${env.stack.sso}/login`);
    await expect(env.page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(
      true,
    );
    await expect(env.page.getByText(`to continue to ${appName}`).isVisible()).resolves.toBe(true);
  }

  it(
    'signs in at shop through the upstream provider, then opens portal with no prompt',
    async () => {
      await openAtLoginPage(env.stack.shop, 'shop');
      await env.page.getByRole('link', { name: env.stack.provider.displayName }).click();

      // The provider's own sign-in page, on its own origin.
      await env.page.getByRole('heading', { name: 'Test provider sign-in' }).waitFor();
      expect(new URL(env.page.url()).origin).toBe(env.stack.provider.issuer);
      await env.page.getByLabel('Username').fill(env.stack.provider.account.sub);
      await env.page.getByLabel('Password').fill(env.stack.provider.account.password);
      await env.page.getByRole('button', { name: 'Sign in' }).click();

      await env.page.waitForURL(`${env.stack.shop}/`);
      expect(await shownAs(env.page, 'Subject')).toBe(`${env.stack.provider.id}:alice-7`);
      expect(await shownAs(env.page, 'Name')).toBe('Alice Example');
      // The handshake cookie and the pending login were both used up by the callback.
      const names = (await env.context.cookies()).map((cookie) => cookie.name);
      expect(names).not.toContain('tessera_upstream');
      expect(names).not.toContain('tessera_login');

      // A person follows the link to portal: the next page they see is portal, signed in.
      env.hops.length = 0;
      const before = env.stack.serviceRequests.length;
      await env.page.getByRole('link', { name: 'portal', exact: true }).click();
      await env.page.waitForURL(`${env.stack.portal}/`);
      expect(await shownAs(env.page, 'Subject')).toBe(`${env.stack.provider.id}:alice-7`);
      expect(await shownAs(env.page, 'Name')).toBe('Alice Example');

      const portalHost = new URL(env.stack.portal).host;
      expect(env.hops.map(hopLine)).toEqual([
        `302 GET ${portalHost}/`,
        `303 GET ${ssoHost()}/authorize`,
        `303 GET ${portalHost}/auth/callback`,
        `200 GET ${portalHost}/`,
      ]);
      // Nothing of Tessera was rendered in between: the only request the browser made there was
      // /authorize, answered by a redirect; the rest came from portal's backend (code, session).
      const fromBrowser = env.stack.serviceRequests
        .slice(before)
        .filter((line) => !/^\w+ \/(token|api\/)/.test(line));
      expect(fromBrowser).toEqual(['GET /authorize 303']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'signs in at portal with a local account on the login page',
    async () => {
      await openAtLoginPage(env.stack.portal, 'portal');
      await screenshot(env.page, 'login-page');

      await submitPassword(env.page, env.stack.account.username, env.stack.account.password);
      await env.page.waitForURL(`${env.stack.portal}/`);
      expect(await shownAs(env.page, 'Subject')).toBe(env.stack.account.subject);
      expect(await shownAs(env.page, 'Name')).toBe(env.stack.account.name);
      expect(env.hops.map(hopLine)).toEqual([
        `302 GET ${new URL(env.stack.portal).host}/`,
        `303 GET ${ssoHost()}/authorize`,
        `200 GET ${ssoHost()}/login`,
        `303 POST ${ssoHost()}/login`,
        `303 GET ${new URL(env.stack.portal).host}/auth/callback`,
        `200 GET ${new URL(env.stack.portal).host}/`,
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shares the cart set in shop with portal, but not the theme',
    async () => {
      await openAtLoginPage(env.stack.shop, 'shop');
      await submitPassword(env.page, env.stack.account.username, env.stack.account.password);
      await env.page.waitForURL(`${env.stack.shop}/`);

      await env.page.getByLabel('Item').fill('teapot');
      await env.page.getByRole('button', { name: 'Add' }).click();
      await env.page.locator('li', { hasText: 'teapot' }).waitFor();
      await env.page.getByLabel('Theme').selectOption('dark');
      await env.page.getByRole('button', { name: 'Save' }).click();
      // The URL does not change (post, then redirect home): wait for the new page's theme itself.
      await env.page.locator('body.theme-dark').waitFor();

      await env.page.getByRole('link', { name: 'portal', exact: true }).click();
      await env.page.waitForURL(`${env.stack.portal}/`);
      expect(await cartOf(env.page)).toEqual(['teapot']);
      await screenshot(env.page, 'portal-with-shared-cart');
      // pref-theme is private to shop: portal keeps its own, still the default.
      expect(await themeOf(env.page)).toBe('theme-light');
      await expect(env.page.getByLabel('Theme').inputValue()).resolves.toBe('light');

      // Portal writes the shared cart too; shop sees that, and its own theme is untouched.
      await env.page.getByLabel('Item').fill('kettle');
      await env.page.getByRole('button', { name: 'Add' }).click();
      await env.page.locator('li', { hasText: 'kettle' }).waitFor();
      await env.page.getByRole('link', { name: 'shop', exact: true }).click();
      await env.page.waitForURL(`${env.stack.shop}/`);
      expect(await cartOf(env.page)).toEqual(['teapot', 'kettle']);
      expect(await themeOf(env.page)).toBe('theme-dark');
    },
    TEST_TIMEOUT_MS,
  );
});
