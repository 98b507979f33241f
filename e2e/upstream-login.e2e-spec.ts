import { ResolveSsoSession } from '@tessera/core';
import { createHash, randomBytes } from 'node:crypto';
import { UpstreamProviders } from '../apps/sso-server/src/upstream/upstream-providers';
import { HttpBrowser } from './support/http-browser';
import { driveProvider } from './support/oidc-provider/drive-provider';
import type { RunningOidcProvider } from './support/oidc-provider/start-oidc-provider';
import { startProviderForService } from './support/oidc-provider/start-oidc-provider';
import { basicAuth } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { freeLoopbackPort, startTestService } from './support/tessera-service';

/**
 * Sign-in through an upstream OpenID provider, end to end over HTTP: the real service and a
 * real OpenID provider (oidc-provider, in its own process), driven by an HTTP browser stand-in.
 */
describe('upstream OpenID Connect sign-in', () => {
  const APP_REDIRECT = 'http://shop.example.test/callback';
  const account = {
    sub: 'alice-7',
    name: 'Alice Example',
    email: 'alice@idp.test',
    password: 'correct horse',
  };
  let provider: RunningOidcProvider;
  let service: TestService;
  let publicUrl: string;

  beforeAll(async () => {
    let port: number;
    ({ provider, port, publicUrl } = await startProviderForService(account));
    const nothingListens = await freeLoopbackPort();
    service = await startTestService({
      port,
      apps: [{ clientId: 'shop', secret: 'shop-secret', redirectUris: [APP_REDIRECT] }],
      identityProviders: [
        {
          id: 'testidp',
          displayName: 'Test IdP',
          issuer: provider.issuer,
          clientId: 'tessera',
          clientSecret: 'upstream-secret',
        },
        {
          id: 'offline',
          displayName: 'Offline IdP',
          issuer: `http://127.0.0.1:${nothingListens}`,
          clientId: 'tessera',
          clientSecret: 'unused',
        },
      ],
    });
  });

  afterAll(async () => {
    await service?.close();
    await provider?.stop();
  });

  /** The app sends the browser to /authorize; the service keeps the request as a pending login. */
  async function beginAppLogin(browser: HttpBrowser) {
    const verifier = randomBytes(32).toString('base64url');
    const state = `app-state-${randomBytes(4).toString('hex')}`;
    const authorize = new URL('/authorize', publicUrl);
    authorize.search = new URLSearchParams({
      client_id: 'shop',
      redirect_uri: APP_REDIRECT,
      response_type: 'code',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const response = await browser.get(authorize.href);
    expect(response.status).toBe(303);
    expect(response.location).toBe(`${publicUrl}/login`);
    return { verifier, state, csrf: await pendingCsrf(browser) };
  }

  /**
   * The csrf token the login page puts in its upstream links. Until the login page exists, it is
   * read from the pending-login cookie itself: signed-value.ts payloads are base64url JSON
   * before the dot (readable, just not forgeable).
   */
  async function pendingCsrf(browser: HttpBrowser): Promise<string> {
    const page = await browser.get(`${publicUrl}/login`);
    const html = page.status === 200 ? page.body : '';
    const fromPage =
      /[?&;]csrf=([A-Za-z0-9_-]+)/.exec(html) ?? /name="csrf" value="([^"]+)"/.exec(html);
    if (fromPage) return fromPage[1];
    const cookie = decodeURIComponent(browser.cookie(publicUrl, 'tessera_login') ?? '');
    const payload = JSON.parse(Buffer.from(cookie.split('.')[0], 'base64url').toString('utf8'));
    return payload.csrf as string;
  }

  function startUrl(csrf: string, providerId = 'testidp'): string {
    return `${publicUrl}/login/upstream/example/${providerId}?csrf=${encodeURIComponent(csrf)}`;
  }

  async function signInUpstream(browser: HttpBrowser) {
    const login = await beginAppLogin(browser);
    const started = await browser.get(startUrl(login.csrf));
    expect(started.status).toBe(303);
    const callback = await driveProvider(browser, started.location!, {
      kind: 'sign-in',
      username: account.sub,
      password: account.password,
    });
    const completed = await browser.get(callback);
    return { ...login, started, callback, completed };
  }

  async function ssoSessionOf(browser: HttpBrowser) {
    const token = decodeURIComponent(browser.cookie(publicUrl, 'tessera_sso') ?? '');
    return service.app.get(ResolveSsoSession).execute(token);
  }

  function expectErrorPage(html: string, ...phrases: string[]) {
    expect(html).toMatch(/^<!doctype html>/);
    for (const phrase of phrases) expect(html).toContain(phrase);
    expect(html).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
  }

  it('signs in at the provider and continues to the app with a code and its state', async () => {
    const browser = new HttpBrowser();
    const { started, callback, completed, state, verifier } = await signInUpstream(browser);

    const request = new URL(started.location!);
    expect(request.origin).toBe(provider.issuer);
    expect(request.searchParams.get('client_id')).toBe('tessera');
    expect(request.searchParams.get('response_type')).toBe('code');
    expect(request.searchParams.get('redirect_uri')).toBe(
      `${publicUrl}/login/upstream/example/testidp/callback`,
    );
    expect(request.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    );
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(request.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(started.headers.get('set-cookie')).toMatch(
      /^tessera_upstream=[^;]+; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
    );
    expect(new URL(callback).searchParams.get('state')).toBe(request.searchParams.get('state'));

    expect(completed.status).toBe(303);
    const back = new URL(completed.location!);
    expect(`${back.origin}${back.pathname}`).toBe(APP_REDIRECT);
    expect(back.searchParams.get('code')).toMatch(/^[A-Za-z0-9._~-]{20,512}$/);
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('iss')).toBe(publicUrl);
    expect(browser.cookie(publicUrl, 'tessera_sso')).toBeDefined();
    expect(browser.cookie(publicUrl, 'tessera_login')).toBeUndefined();
    expect(browser.cookie(publicUrl, 'tessera_upstream')).toBeUndefined();

    const sso = await ssoSessionOf(browser);
    expect(sso?.principal).toMatchObject({
      realm: 'example',
      subject: 'testidp:alice-7',
      profile: { name: 'Alice Example', email: 'alice@idp.test' },
    });

    const token = await fetch(`${publicUrl}/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuth('shop', 'shop-secret'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: APP_REDIRECT,
        code_verifier: verifier,
      }),
    });
    if (token.status !== 404) {
      // POST /token is built separately; when it is there, the code must redeem.
      expect(token.status).toBe(200);
      expect(((await token.json()) as any).session.principal).toEqual({
        subject: 'testidp:alice-7',
        realm: 'example',
        profile: { name: 'Alice Example', email: 'alice@idp.test' },
      });
    }
  });

  it('keeps one principal per provider account across sign-ins', async () => {
    const first = new HttpBrowser();
    await signInUpstream(first);
    const second = new HttpBrowser();
    const { completed } = await signInUpstream(second);
    expect(completed.status).toBe(303);
    const [a, b] = [await ssoSessionOf(first), await ssoSessionOf(second)];
    expect(b?.principal.id).toBe(a?.principal.id);
    expect(b?.session.id).not.toBe(a?.session.id);
  });

  it('offers only the providers whose discovery succeeded', () => {
    const providers = service.app.get(UpstreamProviders);
    expect(providers.listReady('example')).toEqual([
      { id: 'testidp', displayName: 'Test IdP', startPath: '/login/upstream/example/testidp' },
    ]);
    expect(providers.listReady('elsewhere')).toEqual([]);
  });

  it('starts only for the pending login of this browser, with its csrf token', async () => {
    const browser = new HttpBrowser();
    const { csrf } = await beginAppLogin(browser);

    const forged = await browser.get(startUrl(`${csrf.slice(0, -1)}x`));
    expect(forged.status).toBe(403);
    expect(forged.headers.get('location')).toBeNull();
    expectErrorPage(forged.body, 'Sign-in link not valid');

    const missing = await browser.get(`${publicUrl}/login/upstream/example/testidp`);
    expect(missing.status).toBe(403);

    const elsewhere = await new HttpBrowser().get(startUrl(csrf));
    expect(elsewhere.status).toBe(400);
    expectErrorPage(elsewhere.body, 'This sign-in has expired');

    const offline = await browser.get(startUrl(csrf, 'offline'));
    expect(offline.status).toBe(404);
    expectErrorPage(offline.body, 'Unknown sign-in method');
    expect(browser.cookie(publicUrl, 'tessera_upstream')).toBeUndefined();
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    const browser = new HttpBrowser();
    const { csrf } = await beginAppLogin(browser);
    const started = await browser.get(startUrl(csrf));
    expect(started.status).toBe(303);

    const callback = new URL(`${publicUrl}/login/upstream/example/testidp/callback`);
    callback.search = new URLSearchParams({
      code: 'attacker-code',
      state: 'not-the-state',
      iss: provider.issuer,
    }).toString();
    const response = await browser.get(callback.href);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expectErrorPage(response.body, 'Sign-in could not be verified');
    expect(browser.cookie(publicUrl, 'tessera_sso')).toBeUndefined();
    // The handshake is spent: replaying the genuine answer later fails as well.
    expect(browser.cookie(publicUrl, 'tessera_upstream')).toBeUndefined();
  });

  it("shows the provider's error clearly when the user cancels there", async () => {
    const browser = new HttpBrowser();
    const { csrf } = await beginAppLogin(browser);
    const started = await browser.get(startUrl(csrf));
    const callback = await driveProvider(browser, started.location!, { kind: 'cancel' });
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');

    const response = await browser.get(callback);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectErrorPage(
      response.body,
      'Sign-in was not completed',
      'Test IdP did not sign you in (access_denied: End-User aborted interaction)',
      'href="/login"',
    );
    expect(browser.cookie(publicUrl, 'tessera_sso')).toBeUndefined();
    // The pending login stands: the user can go back and choose another way to sign in.
    expect(browser.cookie(publicUrl, 'tessera_login')).toBeDefined();
  });
});
