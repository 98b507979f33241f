import type {
  AttributeOperation,
  JsonValue,
  LoginClient,
  LogoutClient,
  SessionView,
} from '@tessera/sdk';
import { InvalidSessionError } from '@tessera/sdk';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { createDemoApp } from './create-demo-app';
import { readDemoConfig } from './demo-config';

const { config } = readDemoConfig({
  DEMO_APP_NAME: 'shop',
  DEMO_PUBLIC_URL: 'http://shop.example.test:3001',
  TESSERA_URL: 'http://sso.example.test:8080',
  DEMO_CLIENT_SECRET: 'shop-demo-secret',
  DEMO_COOKIE_SECRET: 'a-test-secret-of-at-least-32-bytes!',
  DEMO_PEERS: 'portal=http://portal.example.test:3002',
});
const ORIGIN = 'http://shop.example.test:3001';
const COOKIE = 'tessera_shop=tok';

/**
 * The session as the service would keep it for the token `tok`, with the demo realm's policy
 * (`csrf` and `pref*` private). A stand-in for the client: the SDK against the real service is
 * covered in e2e/.
 */
function memoryClient() {
  const shared: Record<string, JsonValue> = { cart: ['book'] };
  const own: Record<string, JsonValue> = {};
  let version = 1;
  const view = (): SessionView => ({
    principal: { subject: 'local:ada', realm: 'example', profile: { name: '<Ada & "Bob">' } },
    session: {
      id: 's1',
      createdAt: '2030-01-01T00:00:00.000Z',
      lastAccessAt: '2030-01-01T00:00:00.000Z',
      idleExpiresAt: '2100-01-01T00:00:00.000Z',
      absoluteExpiresAt: '2100-01-01T00:00:00.000Z',
      expiresAt: '2100-01-01T00:00:00.000Z',
    },
    version: `v${version}`,
    attributes: { shared: structuredClone(shared), private: structuredClone(own) },
  });
  const patches: AttributeOperation[][] = [];
  const client = {
    clientId: 'shop',
    getSession: (token: string) =>
      token === 'tok' ? Promise.resolve(view()) : Promise.reject(new InvalidSessionError()),
    patchSession: (_token: string, operations: readonly AttributeOperation[]) => {
      patches.push([...operations]);
      for (const op of operations) {
        const scope = op.key === 'csrf' || op.key.startsWith('pref') ? own : shared;
        if (op.op === 'set') scope[op.key] = op.value;
        else delete scope[op.key];
      }
      version += 1;
      return Promise.resolve(view());
    },
    exchangeCode: () => Promise.reject(new Error('not in this spec')),
    forget: jest.fn(),
    endSession: jest.fn((_token: string) => Promise.resolve()),
    forgetSession: jest.fn(),
  } satisfies LoginClient & LogoutClient;
  return { client, shared, own, patches };
}

describe('demo app over HTTP', () => {
  let server: Server;
  let base: string;
  let memory: ReturnType<typeof memoryClient>;
  const logged: string[] = [];

  beforeEach(async () => {
    memory = memoryClient();
    const app = createDemoApp(config, { client: memory.client, log: (line) => logged.push(line) });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => server.close());

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const answer = await request(`${base}${path}`, {
      headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', ...headers },
    });
    return { status: answer.statusCode, headers: answer.headers, body: await answer.body.text() };
  };
  const post = async (path: string, form: Record<string, string>, origin = ORIGIN) => {
    const answer = await request(`${base}${path}`, {
      method: 'POST',
      headers: {
        cookie: COOKIE,
        origin,
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-mode': 'navigate',
      },
      body: new URLSearchParams(form).toString(),
    });
    return { status: answer.statusCode, headers: answer.headers, body: await answer.body.text() };
  };
  const csrfToken = async () => {
    const home = await page('/', { cookie: COOKIE });
    return /name="_csrf" value="([^"]+)"/.exec(home.body)![1];
  };

  it('sends an anonymous visitor to the service to sign in', async () => {
    const anonymous = await page('/');
    expect(anonymous.status).toBe(302);
    expect(String(anonymous.headers.location)).toMatch(
      /^http:\/\/sso\.example\.test:8080\/authorize\?response_type=code&client_id=shop&redirect_uri=http%3A%2F%2Fshop\.example\.test%3A3001%2Fauth%2Fcallback&/,
    );
  });

  it('shows who is signed in and the cart, escaped, with a CSRF token kept private', async () => {
    const home = await page('/', { cookie: COOKIE });
    expect(home.status).toBe(200);
    expect(home.body).toContain('&lt;Ada &amp; &quot;Bob&quot;&gt;');
    expect(home.body).not.toContain('<Ada');
    expect(home.body).toContain('local:ada');
    expect(home.body).toContain('<li>book</li>');
    expect(home.body).toContain('href="http://portal.example.test:3002/"');
    expect(home.body).not.toContain('<script');
    expect(home.headers['content-security-policy']).toContain("default-src 'none'");
    expect(home.headers['content-security-policy']).toContain(
      "form-action 'self' http://sso.example.test:8080",
    );
    expect(home.headers['cache-control']).toBe('no-store');
    expect(typeof memory.own.csrf).toBe('string');
    expect(home.body).toContain(`value="${memory.own.csrf as string}"`);
    // The token is made once per session.
    await page('/', { cookie: COOKIE });
    expect(memory.patches).toHaveLength(1);
  });

  it('refuses a form without the token, or from another origin, and changes nothing', async () => {
    const token = await csrfToken();
    expect((await post('/cart/items', { item: 'mug' })).status).toBe(403);
    expect((await post('/cart/items', { item: 'mug', _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(
      (await post('/cart/items', { item: 'mug', _csrf: token }, 'http://evil.example')).status,
    ).toBe(403);
    expect(memory.shared.cart).toEqual(['book']);
  });

  it('adds to and empties the shared cart', async () => {
    const token = await csrfToken();
    const added = await post('/cart/items', { item: ' blue  mug ', _csrf: token });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/');
    expect(memory.shared.cart).toEqual(['book', 'blue mug']);

    const refused = await post('/cart/items', { item: 'x'.repeat(41), _csrf: token });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain('at most 40 characters');

    expect((await post('/cart/empty', { _csrf: token })).status).toBe(303);
    expect(memory.shared.cart).toBeUndefined();
  });

  it('keeps the theme as a private attribute and applies it', async () => {
    const token = await csrfToken();
    expect((await post('/preferences/theme', { theme: 'dark', _csrf: token })).status).toBe(303);
    expect(memory.own['pref-theme']).toBe('dark');
    expect((await page('/', { cookie: COOKIE })).body).toContain('class="theme-dark"');
    expect((await post('/preferences/theme', { theme: 'neon', _csrf: token })).status).toBe(422);
  });

  it('logs out everywhere: ends the session at the service, clears the cookie, goes via /logout', async () => {
    const token = await csrfToken();
    const out = await post('/logout', { _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(
      'http://sso.example.test:8080/logout?client_id=shop&post_logout_redirect_uri=' +
        encodeURIComponent('http://shop.example.test:3001/signed-out'),
    );
    expect(out.headers['set-cookie']).toBe(
      'tessera_shop=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
    );
    expect(memory.client.forget).toHaveBeenCalledWith('tok');
    expect(memory.client.endSession).toHaveBeenCalledWith('tok');
    const signedOut = await page('/signed-out');
    expect(signedOut.status).toBe(200);
    expect(signedOut.body).toContain('/auth/login?return_to=%2F');
  });

  it('serves the back-channel endpoint without a session or CSRF token, refusing a bad token', async () => {
    const answer = await request(`${base}/auth/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'logout_token=not-a-jwt',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(await answer.body.json()).toEqual({
      error: 'invalid_request',
      error_description: 'malformed token',
    });
    expect(memory.client.forgetSession).not.toHaveBeenCalled();
  });

  it('answers unknown pages and malformed forms with a page, not a stack trace', async () => {
    expect((await page('/nope', { cookie: COOKIE })).status).toBe(404);
    const token = await csrfToken();
    const big = await post('/cart/items', { item: 'x'.repeat(5000), _csrf: token });
    expect(big.status).toBe(413);
    expect(big.body).not.toContain('at ');
  });
});
