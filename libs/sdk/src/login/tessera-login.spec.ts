import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { InvalidGrantError, ServiceUnavailableError } from '../errors';
import type { SessionView } from '../session-view';
import { deepFreeze } from '../session-view';
import type { LoginError } from './login-error';
import { s256Challenge } from './pkce';
import type { LoginClient, TesseraLoginOptions } from './tessera-login';
import { tesseraLogin } from './tessera-login';

const SERVICE = 'http://sso.example.test:8080';
const REDIRECT_URI = 'http://shop.example.test:3001/auth/callback';

const view: SessionView = deepFreeze({
  principal: { subject: 'local:ada', realm: 'example', profile: { name: 'Ada' } },
  session: {
    id: 'sess-1',
    createdAt: '2030-01-01T00:00:00.000Z',
    lastAccessAt: '2030-01-01T00:00:00.000Z',
    idleExpiresAt: '2100-01-01T00:30:00.000Z',
    absoluteExpiresAt: '2100-01-01T08:00:00.000Z',
    expiresAt: '2100-01-01T00:30:00.000Z',
  },
  version: 'v1',
  attributes: { shared: {}, private: {} },
});

/** A stub of the client object (the service's protocol is covered by the client's own spec). */
function stubClient() {
  return {
    clientId: 'shop',
    getSession: jest.fn((token: string) =>
      token === 'app-token' ? Promise.resolve(view) : Promise.reject(new Error('unknown')),
    ),
    patchSession: jest.fn(() => Promise.resolve(view)),
    exchangeCode: jest.fn(() =>
      Promise.resolve({ appSessionToken: 'app-token', expiresIn: 1800, session: view }),
    ),
    forget: jest.fn(),
    endSession: jest.fn((_token: string) => Promise.resolve()),
  } satisfies LoginClient;
}

/**
 * A browser's top-level GET, as a fetch Response. Not `fetch` itself: it always sends
 * `sec-fetch-mode: cors`, which (rightly) gets a 401 instead of a redirect.
 */
async function navigate(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const answer = await request(url, {
    headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', ...headers },
  });
  const copy = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const item of [value ?? []].flat()) copy.append(name, item);
  }
  return new Response(await answer.body.text(), { status: answer.statusCode, headers: copy });
}

describe('tesseraLogin', () => {
  let server: Server | undefined;
  let base: string;
  let client: ReturnType<typeof stubClient>;
  afterEach(() => server?.close());

  async function start(options: Partial<TesseraLoginOptions> = {}, mountSession = true) {
    client = stubClient();
    const login = tesseraLogin({
      client,
      serviceUrl: SERVICE,
      redirectUri: REDIRECT_URI,
      cookieSecret: 'a-test-secret-of-at-least-32-bytes!',
      cookie: { secure: false },
      ...options,
    });
    const app = express();
    if (mountSession) app.use(login.session);
    // Public: tries a silent login (prompt=none) for anonymous visitors.
    app.get('/silent', (req, res) => login.startLogin(req, res, { prompt: 'none' }));
    app.use(login.routes, login.requireLogin);
    app.get('/cart', (req, res) => {
      res.json({ subject: req.tessera?.principal.subject });
    });
    app.post('/cart', (_req, res) => {
      res.json({ ok: true });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return login;
  }

  const get = (path: string, headers: Record<string, string> = {}) =>
    navigate(`${base}${path}`, headers);

  /** Starts a login at `path` and returns what the browser would keep from the redirect. */
  async function beginLogin(path = '/cart?item=book') {
    const response = await get(path);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    const [loginCookie] = response.headers.getSetCookie();
    return {
      response,
      location,
      state: location.searchParams.get('state')!,
      cookie: loginCookie.split(';')[0],
      setCookie: loginCookie,
    };
  }

  const finish = (state: string, cookie: string, extra = `iss=${encodeURIComponent(SERVICE)}`) =>
    get(`/auth/callback?code=the-code&state=${state}&${extra}`, { cookie });

  it('sends an anonymous page request to /authorize with PKCE and a signed, scoped state cookie', async () => {
    await start();
    const { response, location, state, setCookie } = await beginLogin();
    expect(location.origin + location.pathname).toBe(`${SERVICE}/authorize`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'shop',
      redirect_uri: REDIRECT_URI,
      state,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toMatch(
      new RegExp(
        `^tessera_login_${state.slice(0, 16)}=[^;]+; Path=/auth/callback; Max-Age=600; HttpOnly; SameSite=Lax$`,
      ),
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('marks the state cookie Secure unless told otherwise', async () => {
    await start({ cookie: {} });
    const { setCookie } = await beginLogin();
    expect(setCookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('answers writes, scripts and JSON clients 401 instead of redirecting', async () => {
    await start();
    const post = await fetch(`${base}/cart`, { method: 'POST', redirect: 'manual' });
    expect(post.status).toBe(401);
    expect(await post.json()).toEqual({
      error: 'login_required',
      error_description: 'sign in first',
      login_url: '/auth/login',
    });
    expect((await get('/cart', { accept: 'application/json' })).status).toBe(401);
    expect((await get('/cart', { 'sec-fetch-mode': 'cors' })).status).toBe(401);
  });

  it('finishes the login: redeems the code with the verifier, sets the app cookie, returns to the page', async () => {
    await start();
    const { location, state, cookie } = await beginLogin('/cart?item=book');
    const response = await finish(state, `other=1; ${cookie}`);

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/cart?item=book');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(client.exchangeCode).toHaveBeenCalledTimes(1);
    const [exchange] = client.exchangeCode.mock.calls[0] as unknown as [
      { code: string; redirectUri: string; codeVerifier: string },
    ];
    expect(exchange.code).toBe('the-code');
    expect(exchange.redirectUri).toBe(REDIRECT_URI);
    expect(s256Challenge(exchange.codeVerifier)).toBe(location.searchParams.get('code_challenge'));
    expect(response.headers.getSetCookie()).toEqual([
      `${cookie.split('=')[0]}=; Path=/auth/callback; Max-Age=0; HttpOnly; SameSite=Lax`,
      'tessera_app=app-token; Path=/; HttpOnly; SameSite=Lax',
    ]);

    const page = await get('/cart', { cookie: 'tessera_app=app-token' });
    expect(await page.json()).toEqual({ subject: 'local:ada' });
  });

  it('refuses a callback whose state this browser did not start, without redeeming the code', async () => {
    await start();
    const first = await beginLogin();
    const second = await beginLogin();
    expect((await finish(first.state, second.cookie)).status).toBe(400);
    expect((await finish(first.state, '')).status).toBe(400);
    const forged = first.cookie.replace(/=(.)/, (_m, c: string) => `=${c === 'A' ? 'B' : 'A'}`);
    const tampered = await finish(first.state, forged);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('state_mismatch');
    expect(client.exchangeCode).not.toHaveBeenCalled();
  });

  it('does not spend a code on a HEAD request (link previews)', async () => {
    await start();
    const { state, cookie } = await beginLogin();
    const head = await request(`${base}/auth/callback?code=c&state=${state}`, {
      method: 'HEAD',
      headers: { cookie, 'sec-fetch-mode': 'navigate' },
    });
    await head.body.dump();
    expect(client.exchangeCode).not.toHaveBeenCalled();
    expect((await finish(state, cookie)).status).toBe(303);
  });

  it('refuses an answer from another issuer (mix-up defence)', async () => {
    await start();
    const { state, cookie } = await beginLogin();
    expect((await finish(state, cookie, 'iss=https%3A%2F%2Fevil.example')).status).toBe(400);
    expect((await finish(state, cookie, '')).status).toBe(400);
    expect(client.exchangeCode).not.toHaveBeenCalled();
  });

  it('accepts a pending login once only', async () => {
    await start();
    const { state, cookie } = await beginLogin();
    expect((await finish(state, cookie)).status).toBe(303);
    // The browser dropped the cookie; a replayed callback URL finds nothing, even with an old copy.
    const replay = await finish(state, 'other=1');
    expect(replay.status).toBe(400);
    expect(client.exchangeCode).toHaveBeenCalledTimes(1);
  });

  it('lets two tabs log in at once, finishing in either order', async () => {
    await start();
    const tabA = await beginLogin('/cart?tab=a');
    const tabB = await beginLogin('/cart?tab=b');
    const both = `${tabA.cookie}; ${tabB.cookie}`;
    expect((await finish(tabB.state, both)).headers.get('location')).toBe('/cart?tab=b');
    expect((await finish(tabA.state, both)).headers.get('location')).toBe('/cart?tab=a');
  });

  it('hands a silent login that found nobody to onLoginError', async () => {
    const errors: LoginError[] = [];
    await start({
      onLoginError: (error, _req, res) => {
        errors.push(error);
        res.status(200).send('anonymous page');
      },
    });
    const silent = await get('/silent');
    expect(new URL(silent.headers.get('location')!).searchParams.get('prompt')).toBe('none');
    const state = new URL(silent.headers.get('location')!).searchParams.get('state')!;
    const cookie = silent.headers.getSetCookie()[0].split(';')[0];
    const response = await get(
      `/auth/callback?error=login_required&state=${state}&iss=${encodeURIComponent(SERVICE)}`,
      { cookie },
    );
    expect(await response.text()).toBe('anonymous page');
    expect(errors[0]).toMatchObject({ code: 'login_required', prompt: 'none', returnTo: '/' });
    expect(client.exchangeCode).not.toHaveBeenCalled();
  });

  it('shows a refused code on an escaped page, and passes other failures to Express', async () => {
    await start();
    client.exchangeCode.mockRejectedValueOnce(new InvalidGrantError('code <expired>'));
    const first = await beginLogin('/cart?a=<b>');
    const refused = await finish(first.state, first.cookie);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('code &lt;expired&gt; (invalid_grant)');
    expect(page).toContain('href="/auth/login?return_to=%2Fcart%3Fa%3D%253Cb%253E"');
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");

    client.exchangeCode.mockRejectedValueOnce(new ServiceUnavailableError());
    const second = await beginLogin();
    expect((await finish(second.state, second.cookie)).status).toBe(500);
  });

  it('starts a login from the login route, keeping only a same-origin return path', async () => {
    await start();
    for (const [returnTo, expected] of [
      ['%2Forders%3Fpage%3D2', '/orders?page=2'],
      ['%2F%2Fevil.example', '/'],
      ['https%3A%2F%2Fevil.example', '/'],
    ]) {
      const { state, cookie } = await beginLogin(`/auth/login?return_to=${returnTo}`);
      expect((await finish(state, cookie)).headers.get('location')).toBe(expected);
    }
  });

  it('loads the session itself when the session middleware is not mounted', async () => {
    await start({}, false);
    const page = await get('/cart', { cookie: 'tessera_app=app-token' });
    expect(await page.json()).toEqual({ subject: 'local:ada' });
    expect(client.getSession).toHaveBeenCalledTimes(1);
  });

  it('ends the local app session: clears the cookie and the cached copy', async () => {
    const login = await start();
    const app = express();
    app.post('/logout', (req, res) => {
      login.endAppSession(req, res);
      res.end();
    });
    const other = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    const response = await fetch(
      `http://127.0.0.1:${(other.address() as AddressInfo).port}/logout`,
      { method: 'POST', headers: { cookie: 'tessera_app=app-token' } },
    );
    other.close();
    expect(response.headers.getSetCookie()).toEqual([
      'tessera_app=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);
    expect(client.forget).toHaveBeenCalledWith('app-token');
  });

  it('refuses unusable options at once', () => {
    const options = {
      client: stubClient(),
      serviceUrl: SERVICE,
      redirectUri: REDIRECT_URI,
      cookieSecret: 'x'.repeat(32),
    };
    expect(() => tesseraLogin({ ...options, cookieSecret: 'short' })).toThrow(/32 bytes/);
    expect(() => tesseraLogin({ ...options, redirectUri: '/auth/callback' })).toThrow(/absolute/);
    expect(() => tesseraLogin({ ...options, redirectUri: `${REDIRECT_URI}?x=1` })).toThrow(
      /canonical/,
    );
    expect(() => tesseraLogin({ ...options, serviceUrl: 'ftp://sso' })).toThrow(/http/);
    expect(() => tesseraLogin({ ...options, loginPath: '/auth/callback' })).toThrow(/differ/);
  });
});
