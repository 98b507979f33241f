import { TesseraClient } from '@tessera/sdk';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';
import { createDemoApp } from '../apps/demo-app/src/create-demo-app';
import { readDemoConfig } from '../apps/demo-app/src/demo-config';
import { HttpBrowser } from './support/http-browser';

const SSO = 'http://sso.example.test:8080';
const SHOP = 'http://shop.example.test:3001';
const PORTAL = 'http://portal.example.test:3002';

interface RunningDemo {
  url: string;
  client: TesseraClient;
  server: Server;
}

/**
 * The login flow end to end over HTTP: the real service (real database) and the two demo apps,
 * each on loopback, reached through their public names as a browser with a hosts file would.
 * The browser is already signed in at the service (the login page is tested on its own).
 */
describe('demo apps: single sign-on through the SDK login (real service)', () => {
  let service: TestService;
  let shop: RunningDemo;
  let portal: RunningDemo;
  let calls: string[] = [];

  async function startDemo(name: 'shop' | 'portal', publicUrl: string): Promise<RunningDemo> {
    const { config } = readDemoConfig(
      {
        DEMO_PUBLIC_URL: publicUrl,
        TESSERA_URL: SSO,
        TESSERA_INTERNAL_URL: service.url,
        DEMO_CLIENT_SECRET: `${name}-secret`,
        DEMO_COOKIE_SECRET: `${name}-cookie-secret-for-this-test-only`,
      },
      name,
    );
    const client = new TesseraClient({
      baseUrl: service.url,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    });
    const server = createDemoApp(config, { client, log: () => undefined }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, client, server };
  }

  beforeAll(async () => {
    const privateKeys = ['csrf', 'pref*'];
    service = await startTestService({
      env: { TESSERA_PUBLIC_URL: SSO },
      apps: [
        {
          clientId: 'shop',
          secret: 'shop-secret',
          redirectUris: [`${SHOP}/auth/callback`],
          attributePolicy: { privateKeys },
        },
        {
          clientId: 'portal',
          secret: 'portal-secret',
          redirectUris: [`${PORTAL}/auth/callback`],
          attributePolicy: { privateKeys },
        },
      ],
    });
    service.app.getHttpServer().on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.on('finish', () =>
        calls.push(`${req.method} ${req.url?.split('?')[0]} ${res.statusCode}`),
      );
    });
    shop = await startDemo('shop', SHOP);
    portal = await startDemo('portal', PORTAL);
  });

  afterAll(async () => {
    for (const demo of [shop, portal]) {
      await new Promise((resolve) => demo?.server.close(resolve));
      await demo?.client.close();
    }
    await service?.close();
  });

  beforeEach(() => {
    calls = [];
  });

  const browser = () =>
    new HttpBrowser({ hosts: { [SSO]: service.url, [SHOP]: shop.url, [PORTAL]: portal.url } });

  async function signedInBrowser(subject: string): Promise<HttpBrowser> {
    const { ssoToken } = await service.signIn(subject);
    const b = browser();
    b.setCookie(SSO, 'tessera_sso', ssoToken);
    return b;
  }

  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  it('signs a browser into shop, then into portal without asking, sharing the cart only', async () => {
    const b = await signedInBrowser('ada');

    const toShop = await b.follow(`${SHOP}/?from=test`);
    expect(
      toShop.map((p) => `${p.status} ${new URL(p.url).origin}${new URL(p.url).pathname}`),
    ).toEqual([
      `302 ${SHOP}/`,
      `303 ${SSO}/authorize`,
      `303 ${SHOP}/auth/callback`,
      `200 ${SHOP}/`,
    ]);
    const callback = new URL(toShop[2].url);
    expect(callback.searchParams.get('iss')).toBe(SSO);
    expect(toShop[3].url).toBe(`${SHOP}/?from=test`);
    expect(toShop[3].body).toContain('ada');
    expect(b.cookie(SHOP, 'tessera_shop')).toBeDefined();
    // The code was redeemed once; the first page revalidated the primed copy: a 304, no body.
    expect(calls.filter((c) => c.startsWith('POST /token'))).toEqual(['POST /token 200']);
    expect(calls.filter((c) => c.startsWith('GET /api/v1/session'))).toEqual([
      'GET /api/v1/session 304',
    ]);

    const shopToken = csrfOf((await b.get(`${SHOP}/`)).body);
    expect(
      (await b.postForm(`${SHOP}/cart/items`, { item: 'teapot', _csrf: shopToken })).status,
    ).toBe(303);
    await b.postForm(`${SHOP}/preferences/theme`, { theme: 'dark', _csrf: shopToken });

    const toPortal = await b.follow(`${PORTAL}/`);
    expect(toPortal.map((p) => p.status)).toEqual([302, 303, 303, 200]);
    const portalPage = toPortal.at(-1)!.body;
    expect(portalPage).toContain('<li>teapot</li>');
    // The theme is private to shop: portal keeps its own default.
    expect(portalPage).toContain('class="theme-light"');
    expect((await b.get(`${SHOP}/`)).body).toContain('class="theme-dark"');
    // Each app has its own CSRF token (a private attribute).
    expect(csrfOf(portalPage)).not.toBe(shopToken);
  });

  it('refuses a callback with another browser’s state, without redeeming its code', async () => {
    const victim = await signedInBrowser('victim');
    const start = await victim.get(`${SHOP}/`);
    const answer = await victim.get(start.location!);
    const attacker = browser();
    await attacker.get(`${SHOP}/`); // has a pending login of its own, for another state
    calls = [];
    const stolen = await attacker.get(answer.location!);
    expect(stolen.status).toBe(400);
    expect(stolen.body).toContain('state_mismatch');
    expect(calls).toEqual([]);
  });

  it('comes back with login_required from a silent login when nobody is signed in', async () => {
    const pages = await browser().follow(`${SHOP}/auth/login?prompt=none&return_to=%2F`);
    expect(pages.map((p) => p.status)).toEqual([302, 303, 401]);
    expect(new URL(pages[2].url).searchParams.get('error')).toBe('login_required');
    expect(pages[2].body).toContain('You are not signed in');
  });

  it('logs out everywhere: the SSO session ends, the browser goes via the service /logout', async () => {
    const b = await signedInBrowser('grace');
    const home = (await b.follow(`${SHOP}/`)).at(-1)!;
    const out = await b.postForm(`${SHOP}/logout`, { _csrf: csrfOf(home.body) });
    expect(out.location).toBe(
      `${SSO}/logout?client_id=shop&post_logout_redirect_uri=${encodeURIComponent(`${SHOP}/signed-out`)}`,
    );
    expect(b.cookie(SHOP, 'tessera_shop')).toBeUndefined();
    // Single logout: the next visit is not signed in silently any more.
    expect((await b.follow(`${SHOP}/`)).at(-1)!.url.startsWith(SHOP + '/')).toBe(false);
  });
});
