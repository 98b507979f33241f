import { ManualClock } from '@tessera/core';
import { HttpBrowser } from './support/http-browser';
import { pkcePair } from './support/pkce';
import { basicAuth, sessionApi } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const SHOP_CALLBACK = 'http://shop.example.test:3001/auth/callback';
const PORTAL_CALLBACK = 'http://portal.example.test:3002/auth/callback';

/** GET /authorize and POST /token at the HTTP level: every refusal, and the second app's silent login. */
describe('login redirect: /authorize and /token (real service, real database)', () => {
  const clock = new ManualClock(Date.now());
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      clock,
      apps: [
        { clientId: 'shop', secret: 'shop-secret', redirectUris: [SHOP_CALLBACK] },
        { clientId: 'portal', secret: 'portal-secret', redirectUris: [PORTAL_CALLBACK] },
        {
          clientId: 'retired',
          secret: 'retired-secret',
          enabled: false,
          redirectUris: [SHOP_CALLBACK],
        },
        { clientId: 'elsewhere', secret: 'elsewhere-secret', realm: 'other', redirectUris: [] },
      ],
    });
  });

  afterAll(() => service.close());

  function authorizeUrl(params: Record<string, string | string[] | undefined>): string {
    const url = new URL('/authorize', service.url);
    for (const [name, value] of Object.entries(params)) {
      for (const v of [value ?? []].flat()) url.searchParams.append(name, v);
    }
    return url.href;
  }

  const valid = (overrides: Record<string, string | string[] | undefined> = {}) => ({
    response_type: 'code',
    client_id: 'shop',
    redirect_uri: SHOP_CALLBACK,
    state: 'state-123',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });

  /** A browser already signed in at the service. */
  async function signedInBrowser(subject = `user-${Math.random()}`): Promise<HttpBrowser> {
    const { ssoToken } = await service.signIn(subject);
    const jar = new HttpBrowser();
    jar.setCookie(service.url, 'tessera_sso', ssoToken);
    return jar;
  }

  async function codeFor(jar: HttpBrowser, clientId = 'shop', redirectUri = SHOP_CALLBACK) {
    const { verifier, challenge } = pkcePair();
    const response = await jar.get(
      authorizeUrl(
        valid({ client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge }),
      ),
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    return { code: location.searchParams.get('code')!, verifier, location };
  }

  function token(
    body: Record<string, string>,
    auth: string | undefined = basicAuth('shop', 'shop-secret'),
  ) {
    return fetch(`${service.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(auth ? { authorization: auth } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });
  }

  const exchange = (
    code: string,
    verifier: string,
    overrides: Record<string, string> = {},
    auth?: string,
  ) =>
    token(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SHOP_CALLBACK,
        code_verifier: verifier,
        ...overrides,
      },
      auth,
    );

  describe('/authorize refusals that must not redirect', () => {
    it.each([
      ['an unknown client', { client_id: 'nobody' }],
      ['a disabled client', { client_id: 'retired' }],
      ['a missing client_id', { client_id: undefined }],
      ['a repeated client_id', { client_id: ['shop', 'portal'] }],
      ['a missing redirect_uri', { redirect_uri: undefined }],
      ['another host', { redirect_uri: 'http://evil.test:3001/auth/callback' }],
      ['another port', { redirect_uri: 'http://shop.example.test:3002/auth/callback' }],
      ['an extra path segment', { redirect_uri: `${SHOP_CALLBACK}/more` }],
      ['a trailing slash', { redirect_uri: `${SHOP_CALLBACK}/` }],
      ['an added query', { redirect_uri: `${SHOP_CALLBACK}?next=http://evil.test` }],
      ['a fragment', { redirect_uri: `${SHOP_CALLBACK}#x` }],
      [
        'user info before the host',
        { redirect_uri: 'http://shop.example.test:3001@evil.test/auth/callback' },
      ],
      [
        'user info on the real host',
        { redirect_uri: 'http://user@shop.example.test:3001/auth/callback' },
      ],
      ['percent-encoded path', { redirect_uri: 'http://shop.example.test:3001/auth/%63allback' }],
      [
        'upper-case scheme and host',
        { redirect_uri: 'HTTP://SHOP.EXAMPLE.TEST:3001/auth/callback' },
      ],
      ['https instead of http', { redirect_uri: 'https://shop.example.test:3001/auth/callback' }],
      ["another app's redirect URI", { redirect_uri: PORTAL_CALLBACK }],
      ['a repeated redirect_uri', { redirect_uri: [SHOP_CALLBACK, 'http://evil.test/'] }],
    ])('shows an error page for %s', async (_, overrides) => {
      const response = await fetch(authorizeUrl(valid(overrides)), { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/not registered|names no application/);
    });
  });

  describe('/authorize refusals sent back to the app', () => {
    it.each([
      [
        'no PKCE at all',
        { code_challenge: undefined, code_challenge_method: undefined },
        'invalid_request',
      ],
      ['PKCE "plain"', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['no code_challenge_method', { code_challenge_method: undefined }, 'invalid_request'],
      ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
      ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
      ['an unknown prompt', { prompt: 'consent' }, 'invalid_request'],
      ['a repeated state', { state: ['a', 'b'] }, 'invalid_request'],
    ])('redirects %s back with the error', async (_, overrides, error) => {
      const response = await fetch(authorizeUrl(valid(overrides)), { redirect: 'manual' });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(SHOP_CALLBACK);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toBeTruthy();
      expect(location.searchParams.get('iss')).toBe(new URL('http://localhost:8080').origin);
      expect(location.searchParams.has('code')).toBe(false);
    });

    it('answers login_required to prompt=none without a session, keeping the state', async () => {
      const response = await fetch(authorizeUrl(valid({ prompt: 'none' })), { redirect: 'manual' });
      const location = new URL(response.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('login_required');
      expect(location.searchParams.get('state')).toBe('state-123');
    });
  });

  describe('/authorize without a session', () => {
    it('sends the browser to the login page with a signed, HttpOnly pending-login cookie', async () => {
      const response = await fetch(authorizeUrl(valid()), { redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tessera_login='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Domain=/);
    });

    it('does not use an SSO session of another realm', async () => {
      const { ssoToken } = await service.signIn('stranger', { realm: 'other' });
      const response = await fetch(authorizeUrl(valid()), {
        redirect: 'manual',
        headers: { cookie: `tessera_sso=${ssoToken}` },
      });
      expect(response.headers.get('location')).toBe('/login');
    });

    it('ignores a forged SSO cookie', async () => {
      const { ssoToken } = await service.signIn('victim');
      const forged = ssoToken.slice(0, -2) + (ssoToken.endsWith('AA') ? 'BB' : 'AA');
      const response = await fetch(authorizeUrl(valid()), {
        redirect: 'manual',
        headers: { cookie: `tessera_sso=${forged}` },
      });
      expect(response.headers.get('location')).toBe('/login');
    });
  });

  describe('single sign-on', () => {
    it('gives a signed-in browser a code at once, and the second app one too without any prompt', async () => {
      const jar = await signedInBrowser();
      const shop = await codeFor(jar);
      expect(shop.code).toMatch(/^tsc\./);
      expect(shop.location.searchParams.get('state')).toBe('state-123');
      const portal = await codeFor(jar, 'portal', PORTAL_CALLBACK);
      expect(portal.code).toMatch(/^tsc\./);

      const exchanged = await token(
        {
          grant_type: 'authorization_code',
          code: portal.code,
          redirect_uri: PORTAL_CALLBACK,
          code_verifier: portal.verifier,
        },
        basicAuth('portal', 'portal-secret'),
      );
      expect(exchanged.status).toBe(200);
      expect(exchanged.headers.get('cache-control')).toBe('no-store');
      const body = (await exchanged.json()) as any;
      expect(body).toMatchObject({
        token_type: 'Tessera-Session',
        expires_in: 1800,
        session: { principal: { realm: 'example' } },
      });
      expect(
        (await sessionApi(service.url, 'portal', 'portal-secret').get(body.access_token)).status,
      ).toBe(200);
    });

    it('asks again with prompt=login even when signed in', async () => {
      const jar = await signedInBrowser();
      const response = await jar.get(authorizeUrl(valid({ prompt: 'login' })));
      expect(response.headers.get('location')).toBe('/login');
    });

    it('keeps at most 20 pending codes per session: the oldest stop working', async () => {
      const browser = await signedInBrowser();
      const first = await codeFor(browser);
      for (let i = 0; i < 20; i++) {
        clock.advance(1); // issue order is by time
        await codeFor(browser);
      }
      const latest = await codeFor(browser);
      expect((await exchange(first.code, first.verifier)).status).toBe(400);
      expect((await exchange(latest.code, latest.verifier)).status).toBe(200);
    });

    it('accepts client_secret_post and ignores unknown parameters', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      const response = await exchange(
        code,
        verifier,
        { client_id: 'shop', client_secret: 'shop-secret', resource: 'x' },
        '',
      );
      expect(response.status).toBe(200);
    });
  });

  describe('/token refusals', () => {
    async function expectError(response: Response, status: number, error: string) {
      expect(response.status).toBe(status);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as any;
      expect(body.error).toBe(error);
      expect(typeof body.error_description).toBe('string');
    }

    it('refuses a wrong PKCE verifier', async () => {
      const { code } = await codeFor(await signedInBrowser());
      await expectError(await exchange(code, pkcePair().verifier), 400, 'invalid_grant');
    });

    it('refuses a missing verifier', async () => {
      const { code } = await codeFor(await signedInBrowser());
      await expectError(
        await token({ grant_type: 'authorization_code', code, redirect_uri: SHOP_CALLBACK }),
        400,
        'invalid_request',
      );
    });

    it('refuses a replayed code and ends the app session issued from it', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      const first = (await (await exchange(code, verifier)).json()) as any;
      const api = sessionApi(service.url, 'shop', 'shop-secret');
      expect((await api.get(first.access_token)).status).toBe(200);
      await expectError(await exchange(code, verifier), 400, 'invalid_grant');
      expect((await api.get(first.access_token)).status).toBe(401);
    });

    it('refuses an expired code', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      clock.advance(61_000);
      try {
        await expectError(await exchange(code, verifier), 400, 'invalid_grant');
      } finally {
        clock.advance(-61_000);
      }
    });

    it('refuses a code issued to another client', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser(), 'portal', PORTAL_CALLBACK);
      await expectError(
        await exchange(code, verifier, { redirect_uri: PORTAL_CALLBACK }),
        400,
        'invalid_grant',
      );
    });

    it('refuses a redirect_uri other than the one the code was issued for', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      await expectError(
        await exchange(code, verifier, { redirect_uri: `${SHOP_CALLBACK}/other` }),
        400,
        'invalid_grant',
      );
    });

    it('refuses a forged or malformed code', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      await expectError(
        await exchange(code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A'), verifier),
        400,
        'invalid_grant',
      );
      await expectError(await exchange('{"$ne":null}', verifier), 400, 'invalid_grant');
    });

    it('refuses other grant types', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      await expectError(
        await exchange(code, verifier, { grant_type: 'password' }),
        400,
        'unsupported_grant_type',
      );
    });

    it('refuses bad client authentication', async () => {
      const { code, verifier } = await codeFor(await signedInBrowser());
      const wrong = await exchange(code, verifier, {}, basicAuth('shop', 'wrong'));
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
      await expectError(wrong, 401, 'invalid_client');
      await expectError(await exchange(code, verifier, {}, ''), 401, 'invalid_client');
      await expectError(
        await exchange(code, verifier, { client_id: 'shop', client_secret: 'shop-secret' }),
        400,
        'invalid_request',
      );
      // None of those spent the code.
      expect((await exchange(code, verifier)).status).toBe(200);
    });
  });
});
