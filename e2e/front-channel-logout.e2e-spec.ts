import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { HttpBrowser } from './support/http-browser';
import { sessionApi } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const SHOP = 'http://shop.example.test:3001';
const PORTAL = 'http://portal.example.test:3002';

/** GET /logout at the service: ends the SSO session everywhere, frames each app's front channel. */
describe('front-channel logout at the service (real service, real database)', () => {
  let service: TestService;
  let db: Connection;

  beforeAll(async () => {
    service = await startTestService({
      apps: [
        {
          clientId: 'shop',
          secret: 'shop-secret',
          frontchannelLogoutUri: `${SHOP}/auth/frontchannel-logout`,
          backchannelLogoutUri: `${SHOP}/auth/backchannel-logout`,
          postLogoutRedirectUris: [`${SHOP}/signed-out`],
        },
        {
          clientId: 'portal',
          secret: 'portal-secret',
          frontchannelLogoutUri: `${PORTAL}/auth/frontchannel-logout`,
        },
      ],
    });
    db = service.app.get<Connection>(getConnectionToken());
  });

  afterAll(() => service.close());

  async function signedInBrowser(subject: string) {
    const sso = await service.signIn(subject);
    const tokens = {
      shop: await service.joinApp(sso, 'shop'),
      portal: await service.joinApp(sso, 'portal'),
    };
    const browser = new HttpBrowser();
    browser.setCookie(service.url, 'tessera_sso', sso.ssoToken);
    return { sso, tokens, browser };
  }

  const logoutUrl = (params: Record<string, string>) =>
    `${service.url}/logout?${new URLSearchParams(params).toString()}`;

  it('ends the session in every app, frames each front channel, and returns to the app with its state', async () => {
    const { sso, tokens, browser } = await signedInBrowser('front');
    const page = await browser.get(
      logoutUrl({
        client_id: 'shop',
        post_logout_redirect_uri: `${SHOP}/signed-out`,
        state: 'bye',
      }),
    );
    expect(page.status).toBe(200);
    const frames = [...page.body.matchAll(/<iframe src="([^"]+)"/g)].map(
      (m) => new URL(m[1].replace(/&amp;/g, '&')),
    );
    expect(frames.map((f) => `${f.origin}${f.pathname}`).sort()).toEqual([
      `${PORTAL}/auth/frontchannel-logout`,
      `${SHOP}/auth/frontchannel-logout`,
    ]);
    expect(
      frames.every(
        (f) => f.searchParams.get('sid') === sso.sessionId && f.searchParams.get('iss') !== null,
      ),
    ).toBe(true);
    expect(page.body).toContain(`content="2;url=${SHOP}/signed-out?state=bye"`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain(`frame-src ${SHOP} ${PORTAL}`);
    expect(csp).not.toMatch(/script-src/);
    expect(page.headers.getSetCookie().some((c) => /^tessera_sso=;/.test(c))).toBe(true);

    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(tokens.shop)).status).toBe(
      401,
    );
    expect(
      (await sessionApi(service.url, 'portal', 'portal-secret').get(tokens.portal)).status,
    ).toBe(401);
    // The back channel is the guarantee: shop has a back-channel URI, so it is queued.
    expect(await db.collection('logout_outbox').countDocuments({ sessionId: sso.sessionId })).toBe(
      1,
    );
  });

  it('refuses an unregistered return address on a page, and ends nothing', async () => {
    const { tokens, browser } = await signedInBrowser('stays');
    const cases: Record<string, string>[] = [
      { client_id: 'shop', post_logout_redirect_uri: 'http://evil.test/' },
      { client_id: 'shop', post_logout_redirect_uri: `${SHOP}/signed-out/` },
      { client_id: 'nobody', post_logout_redirect_uri: `${SHOP}/signed-out` },
      { post_logout_redirect_uri: `${SHOP}/signed-out` },
    ];
    for (const params of cases) {
      const page = await browser.get(logoutUrl(params));
      expect(page.status).toBe(400);
      expect(page.location).toBeUndefined();
    }
    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(tokens.shop)).status).toBe(
      200,
    );
  });

  it('asks first when the logout comes from another site, then signs out only on a genuine confirmation', async () => {
    const { sso, tokens } = await signedInBrowser('asked');
    const cookie = `tessera_sso=${sso.ssoToken}`;
    // (Without the header the service would ask too, but only over https: see fromThisSite.)
    for (const site of ['cross-site']) {
      const asked = await fetch(logoutUrl({ client_id: 'shop' }), {
        headers: { cookie, 'sec-fetch-site': site },
      });
      expect(asked.status).toBe(200);
      expect(await asked.text()).toMatch(/<form method="post" action="\/logout">/);
    }
    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(tokens.shop)).status).toBe(
      200,
    );

    const page = await (
      await fetch(logoutUrl({ client_id: 'shop' }), {
        headers: { cookie, 'sec-fetch-site': 'cross-site' },
      })
    ).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const post = (body: string, withCookie = cookie) =>
      fetch(`${service.url}/logout`, {
        method: 'POST',
        headers: { cookie: withCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    // Without the form's token, or with a token shown to another browser, nothing ends.
    expect((await post('client_id=shop')).status).toBe(403);
    const other = await service.signIn('someone-else');
    expect(
      (
        await post(
          `client_id=shop&csrf=${encodeURIComponent(csrf)}`,
          `tessera_sso=${other.ssoToken}`,
        )
      ).status,
    ).toBe(403);
    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(tokens.shop)).status).toBe(
      200,
    );

    const confirmed = await post(`client_id=shop&csrf=${encodeURIComponent(csrf)}`);
    expect(confirmed.status).toBe(200);
    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(tokens.shop)).status).toBe(
      401,
    );
  });

  it('says signed out to a browser that has no session', async () => {
    const page = await new HttpBrowser().get(`${service.url}/logout`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/You are signed out/);
  });
});
