import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BrowserSuite } from './support/browser-suite';
import { startBrowserSuite } from './support/browser-suite';
import { describeInChromium, newBrowserContext } from './support/chromium';
import type { Hop } from './support/pages';
import {
  cookiesOf,
  hopLine,
  recordCspViolations,
  recordNavigations,
  shownAs,
  submitPassword,
} from './support/pages';
import type { ReceivedLogout, SsoStack } from './support/sso-stack';

// Sign-in (argon2) and the service's signed-out page (a 2 s meta refresh) dominate: about 5 s.
const TEST_TIMEOUT_MS = 20_000;
// The dispatcher polls every 50 ms in this stack; a delivery normally lands within 100 ms.
const DELIVERY_WAIT_MS = 5_000;

/**
 * Single logout as a person meets it, in headless Chromium: signed in at shop and portal, the
 * person logs out at portal; shop is signed out at its next page load, and shop's back-channel
 * endpoint got a logout token that the SDK handler verified. The service's logout dispatcher runs
 * in this process and POSTs to shop's real port under its public name (sso-stack.ts,
 * `backchannelLogout`).
 */
describeInChromium('browser: single logout across shop and portal', () => {
  let suite: BrowserSuite | undefined;
  let stack: SsoStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let hops: Hop[];
  let cspViolations: string[];

  beforeAll(async () => {
    suite = await startBrowserSuite({ backchannelLogout: true });
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
    // The demo apps log each back-channel logout; nothing else (no lost writes, no errors).
    expect(stack.appLog.filter((line) => !/\] back-channel logout of session /.test(line))).toEqual(
      [],
    );
  });

  const host = (origin: string) => new URL(origin).host;

  /** The one SSO session of the stack's local account, as the service stores it. */
  async function sessionOfAccount(): Promise<{ sid: string; clientIds: string[] }> {
    const connection = stack.service.app.get<Connection>(getConnectionToken());
    const doc = await connection.collection('principals').findOne({
      realm: 'example',
      subject: stack.account.subject,
    });
    const sessions = Object.entries(
      (doc?.sessions ?? {}) as Record<string, { apps?: Record<string, { clientId: string }> }>,
    );
    expect(sessions).toHaveLength(1);
    const [sid, session] = sessions[0];
    const clientIds = Object.values(session.apps ?? {}).map((app) => app.clientId);
    return { sid, clientIds: [...new Set(clientIds)].sort() };
  }

  async function deliveryTo(app: 'shop' | 'portal', sid: string): Promise<ReceivedLogout> {
    const until = Date.now() + DELIVERY_WAIT_MS;
    for (;;) {
      const received = stack.backchannelLogouts.find(
        (entry) => entry.app === app && entry.claims.sid === sid,
      );
      if (received) return received;
      if (Date.now() > until) {
        const outbox = await stack.service.app
          .get<Connection>(getConnectionToken())
          .collection('logout_outbox')
          .find({})
          .toArray();
        throw new Error(
          `no verified logout token reached ${app} within ${DELIVERY_WAIT_MS} ms; ` +
            `received: ${JSON.stringify(stack.backchannelLogouts)}; outbox: ${JSON.stringify(outbox)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it(
    'logs out at portal: shop is signed out at its next page load and got a verified logout token',
    async () => {
      // Signed in at shop with the local account, then at portal with no prompt.
      await page.goto(`${stack.shop}/`);
      expect(page.url()).toBe(`${stack.sso}/login`);
      await submitPassword(page, stack.account.username, stack.account.password);
      await page.waitForURL(`${stack.shop}/`);
      expect(await shownAs(page, 'Subject')).toBe(stack.account.subject);

      hops.length = 0;
      await page.getByRole('link', { name: 'portal', exact: true }).click();
      await page.waitForURL(`${stack.portal}/`);
      expect(await shownAs(page, 'Subject')).toBe(stack.account.subject);
      expect(hops.map(hopLine)).not.toContain(`200 GET ${host(stack.sso)}/login`);

      const { sid, clientIds } = await sessionOfAccount();
      expect(clientIds).toEqual(['portal', 'shop']);
      expect(stack.backchannelLogouts).toEqual([]);
      const ssoHostname = new URL(stack.sso).hostname;
      expect((await cookiesOf(context, ssoHostname)).map((c) => c.name)).toEqual(['tessera_sso']);

      // Log out at portal: through the service's /logout page (2 s) to portal's signed-out page.
      hops.length = 0;
      const loggedOutAt = Date.now();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(`${stack.portal}/signed-out`);
      await page.getByRole('heading', { name: 'Signed out' }).waitFor();
      expect(hops.map(hopLine)).toEqual([
        `303 POST ${host(stack.portal)}/logout`,
        `200 GET ${host(stack.sso)}/logout`,
        `200 GET ${host(stack.portal)}/signed-out`,
      ]);

      // The browser's SSO cookie is gone, and so is portal's; shop's own cookie is still there.
      expect(await cookiesOf(context, ssoHostname)).toEqual([]);
      const namesAt = async (origin: string) =>
        (await cookiesOf(context, new URL(origin).hostname)).map((c) => c.name);
      expect(await namesAt(stack.portal)).not.toContain('tessera_portal');
      expect(await namesAt(stack.shop)).toContain('tessera_shop');

      // Shop's next page load, with its cookie still sent: not signed in, the login page asks.
      hops.length = 0;
      await page.goto(`${stack.shop}/`);
      expect(page.url()).toBe(`${stack.sso}/login`);
      await expect(page.getByText('to continue to shop').isVisible()).resolves.toBe(true);
      expect(hops.map(hopLine)).toEqual([
        `302 GET ${host(stack.shop)}/`,
        `303 GET ${host(stack.sso)}/authorize`,
        `200 GET ${host(stack.sso)}/login`,
      ]);

      // Shop's back-channel endpoint got a logout token its SDK handler verified (signature from
      // the service's JWKS, iss, aud, typ, events, no nonce), for exactly this session.
      const shop = await deliveryTo('shop', sid);
      expect(shop.claims).toMatchObject({ iss: stack.sso, sid, sub: stack.account.subject });
      expect([shop.claims.aud].flat()).toEqual(['shop']);
      expect(shop.claims.exp).toBeGreaterThan(shop.claims.iat);
      // Portal, which ended the session itself, is told too; nobody hears of it twice.
      const portal = await deliveryTo('portal', sid);
      expect([portal.claims.aud].flat()).toEqual(['portal']);
      expect(stack.backchannelLogouts.map((entry) => entry.app).sort()).toEqual(['portal', 'shop']);
      // Sent as the session ended (about 250 ms after the click here), not at some later sweep.
      expect(shop.at - loggedOutAt).toBeLessThan(DELIVERY_WAIT_MS);
    },
    TEST_TIMEOUT_MS,
  );
});
