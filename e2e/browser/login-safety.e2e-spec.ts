import { useBrowserSession } from './support/browser-session';
import { describeInChromium } from './support/chromium';
import { cookiesOf, hopLine, screenshot, submitPassword } from './support/pages';

// Each test is a few seconds (argon2 hashes dominate); a stuck page fails on Playwright's own
// 5 s action and 10 s navigation timeouts first, so the suite stays well under a minute.
const TEST_TIMEOUT_MS = 20_000;

/**
 * What a browser must refuse or keep safe around the login: an unregistered redirect URI, the
 * cookie attributes as Chromium stores them, and a wrong password. Same stack as
 * single-sign-on.e2e-spec.ts, started for this file alone.
 */
describeInChromium('browser: login safety', () => {
  // The error page and the login page with its error must load their stylesheet, like any page.
  const env = useBrowserSession();

  const host = (origin: string) => new URL(origin).host;

  async function signInAt(app: string) {
    await env.page.goto(`${app}/`);
    await submitPassword(env.page, env.stack.account.username, env.stack.account.password);
    await env.page.waitForURL(`${app}/`);
  }

  it(
    'shows the error page for a redirect URI the app did not register, even when signed in',
    async () => {
      await signInAt(env.stack.shop);
      // The shop's own authorization request, with its redirect_uri swapped for one on another
      // host of the realm: the mapped names make evil.example.test as reachable as shop.
      const authorize = env.hops.find((hop) => hop.url.pathname === '/authorize')!.url;
      const tampered = new URL(authorize);
      tampered.searchParams.set(
        'redirect_uri',
        `http://evil.example.test:${new URL(env.stack.shop).port}/auth/callback`,
      );

      env.hops.length = 0;
      const response = await env.page.goto(tampered.href);
      expect(response?.status()).toBe(400);
      expect(new URL(env.page.url()).host).toBe(host(env.stack.sso));
      await env.page.getByRole('heading', { name: 'Cannot sign you in' }).waitFor();
      await screenshot(env.page, 'unregistered-redirect-uri');
      await expect(
        env.page
          .getByText('The address the application asked to return to is not registered for it.')
          .isVisible(),
      ).resolves.toBe(true);
      // No hop left the service: no code travelled anywhere.
      expect(env.hops.map(hopLine)).toEqual([`400 GET ${host(env.stack.sso)}/authorize`]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stores the cookies host-only, HttpOnly and SameSite=Lax, and drops the pending logins',
    async () => {
      await env.page.goto(`${env.stack.shop}/`);
      // While the login page shows, the pending login waits in the service's cookie and the
      // app's per-state cookie (sent to its callback only).
      const pending = await env.context.cookies();
      expect(
        pending.map((c) => `${c.domain} ${c.name.replace(/_[\w-]{16}$/, '_<state>')} ${c.path}`),
      ).toEqual(
        expect.arrayContaining([
          `${new URL(env.stack.sso).hostname} tessera_login /`,
          `${new URL(env.stack.shop).hostname} tessera_login_shop_<state> /auth/callback`,
        ]),
      );

      await submitPassword(env.page, env.stack.account.username, env.stack.account.password);
      await env.page.waitForURL(`${env.stack.shop}/`);
      await env.page.getByRole('link', { name: 'portal', exact: true }).click();
      await env.page.waitForURL(`${env.stack.portal}/`);

      const all = await env.context.cookies();
      // Nothing is shared through a domain cookie: each host keeps its own.
      expect(all.filter((cookie) => cookie.domain.startsWith('.'))).toEqual([]);
      const flags = (cookie: (typeof all)[number]) => ({
        domain: cookie.domain,
        path: cookie.path,
        httpOnly: cookie.httpOnly,
        sameSite: cookie.sameSite,
        // Secure only over https: these hosts are plain-http development hosts.
        secure: cookie.secure,
        // A browser-session cookie: it ends with the browser (the server sets no Max-Age).
        session: cookie.expires === -1,
      });
      const expected = (hostname: string) => ({
        domain: hostname,
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure: false,
        session: true,
      });
      const sso = await cookiesOf(env.context, new URL(env.stack.sso).hostname);
      expect(sso.map((cookie) => cookie.name)).toEqual(['tessera_sso']);
      expect(flags(sso[0])).toEqual(expected(new URL(env.stack.sso).hostname));
      for (const [origin, name] of [
        [env.stack.shop, 'tessera_shop'],
        [env.stack.portal, 'tessera_portal'],
      ]) {
        const cookies = await cookiesOf(env.context, new URL(origin).hostname);
        // Only the app session: the per-state login cookie went away at the callback.
        expect(cookies.map((cookie) => cookie.name)).toEqual([name]);
        expect(flags(cookies[0])).toEqual(expected(new URL(origin).hostname));
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows the error for a wrong password and starts no session; the same page then signs in',
    async () => {
      await env.page.goto(`${env.stack.shop}/`);
      await submitPassword(env.page, env.stack.account.username, 'not-the-password');
      const alert = env.page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toBe('The username or password is not correct.');
      expect(env.page.url()).toBe(`${env.stack.sso}/login`);
      expect(env.hops.at(-1)).toMatchObject({ status: 401, method: 'POST' });
      await expect(env.page.getByLabel('Username').inputValue()).resolves.toBe(
        env.stack.account.username,
      );
      const names = (await env.context.cookies()).map((cookie) => cookie.name);
      expect(names).not.toContain('tessera_sso');
      expect(names).not.toContain('tessera_shop');
      // The pending login survives a failed attempt, so the user can try again on the same page.
      expect(names).toContain('tessera_login');

      await env.page.getByLabel('Password').fill(env.stack.account.password);
      await env.page.getByRole('button', { name: 'Sign in' }).click();
      await env.page.waitForURL(`${env.stack.shop}/`);
    },
    TEST_TIMEOUT_MS,
  );
});
