import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { useBrowserSession } from './support/browser-session';
import { describeInChromium } from './support/chromium';
import { cookiesOf, hopLine, shownAs, submitPassword } from './support/pages';
import type { ReceivedLogout } from './support/sso-stack';

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
  const env = useBrowserSession({
    suite: { backchannelLogout: true },
    // The demo apps log each back-channel logout; nothing else (no lost writes, no errors).
    afterEach: ({ stack }) =>
      expect(
        stack.appLog.filter((line) => !/\] back-channel logout of session /.test(line)),
      ).toEqual([]),
  });

  const host = (origin: string) => new URL(origin).host;

  /** The one SSO session of the stack's local account, as the service stores it. */
  async function sessionOfAccount(): Promise<{ sid: string; clientIds: string[] }> {
    const connection = env.stack.service.app.get<Connection>(getConnectionToken());
    const doc = await connection.collection('principals').findOne({
      realm: 'example',
      subject: env.stack.account.subject,
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
      const received = env.stack.backchannelLogouts.find(
        (entry) => entry.app === app && entry.claims.sid === sid,
      );
      if (received) return received;
      if (Date.now() > until) {
        const outbox = await env.stack.service.app
          .get<Connection>(getConnectionToken())
          .collection('logout_outbox')
          .find({})
          .toArray();
        throw new Error(
          `no verified logout token reached ${app} within ${DELIVERY_WAIT_MS} ms; ` +
            `received: ${JSON.stringify(env.stack.backchannelLogouts)}; outbox: ${JSON.stringify(outbox)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it(
    'logs out at portal: shop is signed out at its next page load and got a verified logout token',
    async () => {
      // Signed in at shop with the local account, then at portal with no prompt.
      await env.page.goto(`${env.stack.shop}/`);
      expect(env.page.url()).toBe(`${env.stack.sso}/login`);
      await submitPassword(env.page, env.stack.account.username, env.stack.account.password);
      await env.page.waitForURL(`${env.stack.shop}/`);
      expect(await shownAs(env.page, 'Subject')).toBe(env.stack.account.subject);

      env.hops.length = 0;
      await env.page.getByRole('link', { name: 'portal', exact: true }).click();
      await env.page.waitForURL(`${env.stack.portal}/`);
      expect(await shownAs(env.page, 'Subject')).toBe(env.stack.account.subject);
      expect(env.hops.map(hopLine)).not.toContain(`200 GET ${host(env.stack.sso)}/login`);

      const { sid, clientIds } = await sessionOfAccount();
      expect(clientIds).toEqual(['portal', 'shop']);
      expect(env.stack.backchannelLogouts).toEqual([]);
      const ssoHostname = new URL(env.stack.sso).hostname;
      expect((await cookiesOf(env.context, ssoHostname)).map((c) => c.name)).toEqual([
        'tessera_sso',
      ]);

      // Log out at portal: through the service's /logout page (2 s) to portal's signed-out page.
      env.hops.length = 0;
      const loggedOutAt = Date.now();
      await env.page.getByRole('button', { name: 'Log out' }).click();
      await env.page.waitForURL(`${env.stack.portal}/signed-out`);
      await env.page.getByRole('heading', { name: 'Signed out' }).waitFor();
      expect(env.hops.map(hopLine)).toEqual([
        `303 POST ${host(env.stack.portal)}/logout`,
        `200 GET ${host(env.stack.sso)}/logout`,
        `200 GET ${host(env.stack.portal)}/signed-out`,
      ]);

      // The browser's SSO cookie is gone, and so is portal's; shop's own cookie is still there.
      expect(await cookiesOf(env.context, ssoHostname)).toEqual([]);
      const namesAt = async (origin: string) =>
        (await cookiesOf(env.context, new URL(origin).hostname)).map((c) => c.name);
      expect(await namesAt(env.stack.portal)).not.toContain('tessera_portal');
      expect(await namesAt(env.stack.shop)).toContain('tessera_shop');

      // Shop's next page load, with its cookie still sent: not signed in, the login page asks.
      env.hops.length = 0;
      await env.page.goto(`${env.stack.shop}/`);
      expect(env.page.url()).toBe(`${env.stack.sso}/login`);
      await expect(env.page.getByText('to continue to shop').isVisible()).resolves.toBe(true);
      expect(env.hops.map(hopLine)).toEqual([
        `302 GET ${host(env.stack.shop)}/`,
        `303 GET ${host(env.stack.sso)}/authorize`,
        `200 GET ${host(env.stack.sso)}/login`,
      ]);

      // Shop's back-channel endpoint got a logout token its SDK handler verified (signature from
      // the service's JWKS, iss, aud, typ, events, no nonce), for exactly this session.
      const shop = await deliveryTo('shop', sid);
      expect(shop.claims).toMatchObject({
        iss: env.stack.sso,
        sid,
        sub: env.stack.account.subject,
      });
      expect([shop.claims.aud].flat()).toEqual(['shop']);
      expect(shop.claims.exp).toBeGreaterThan(shop.claims.iat);
      // Portal, which ended the session itself, is told too; nobody hears of it twice.
      const portal = await deliveryTo('portal', sid);
      expect([portal.claims.aud].flat()).toEqual(['portal']);
      expect(env.stack.backchannelLogouts.map((entry) => entry.app).sort()).toEqual([
        'portal',
        'shop',
      ]);
      // Sent as the session ended (about 250 ms after the click here), not at some later sweep.
      expect(shop.at - loggedOutAt).toBeLessThan(DELIVERY_WAIT_MS);
    },
    TEST_TIMEOUT_MS,
  );
});
