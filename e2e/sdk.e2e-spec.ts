import { Controller, Get, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ManualClock } from '@tessera/core';
import type { RequestSession } from '@tessera/sdk';
import {
  AttributeLimitError,
  ClientAuthenticationError,
  InvalidSessionError,
  TesseraClient,
} from '@tessera/sdk';
import { TesseraModule, TesseraSession } from '@tessera/sdk/nest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSdkApp } from './support/sdk-app';
import { startSdkApp } from './support/sdk-app';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

/** Two registered apps of one realm, each a real Express app on the SDK, against the real service. */
describe('SDK with two apps against the real service', () => {
  const clock = new ManualClock(Date.now());
  let service: TestService;
  let shop: RunningSdkApp;
  let portal: RunningSdkApp;
  let calls: { method: string; status: number }[] = [];
  let shopCookie: string;
  let portalCookie: string;
  let shopToken: string;

  beforeAll(async () => {
    service = await startTestService({
      clock,
      env: { TESSERA_IDLE_TIMEOUT_SECONDS: '600', TESSERA_MAX_VALUE_BYTES: '1024' },
      apps: [
        { clientId: 'shop', secret: 'shop-secret', attributePolicy: { privateKeys: ['csrf'] } },
        { clientId: 'portal', secret: 'portal-secret', attributePolicy: { privateKeys: ['csrf'] } },
      ],
    });
    // Every call that reaches the service, as the service saw it: no stand-in anywhere.
    service.app.getHttpServer().on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.on('finish', () => calls.push({ method: req.method!, status: res.statusCode }));
    });
    shop = await startSdkApp({
      baseUrl: service.url,
      clientId: 'shop',
      clientSecret: 'shop-secret',
    });
    portal = await startSdkApp({
      baseUrl: service.url,
      clientId: 'portal',
      clientSecret: 'portal-secret',
    });
  });

  afterAll(async () => {
    await shop.close();
    await portal.close();
    await service.close();
  });

  beforeEach(async () => {
    const sso = await service.signIn(`sdk-${Math.random()}`);
    shopToken = await service.joinApp(sso, 'shop');
    shopCookie = `tessera_app=${shopToken}`;
    portalCookie = `tessera_app=${await service.joinApp(sso, 'portal')}`;
    calls = [];
  });

  const get = async (app: RunningSdkApp, path: string, cookie: string) => {
    const response = await fetch(`${app.url}${path}`, { headers: { cookie } });
    return { response, body: (await response.json()) as any };
  };
  const post = async (app: RunningSdkApp, path: string, cookie: string, value: unknown = null) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    });
    return { response, body: (await response.json()) as any };
  };

  it("shares the cart set in shop with portal, and keeps shop's csrf private", async () => {
    await post(shop, '/set/cart', shopCookie, ['book']);
    await post(shop, '/set/csrf', shopCookie, 'shop-token');
    const seen = (await get(portal, '/state', portalCookie)).body;
    expect(seen.attributes).toEqual({ cart: ['book'] });
    expect((await get(shop, '/state', shopCookie)).body.attributes).toEqual({
      cart: ['book'],
      csrf: 'shop-token',
    });
  });

  it('lets a removal in portal hide the cart from shop', async () => {
    await post(shop, '/set/cart', shopCookie, ['book']);
    clock.advance(5);
    await post(portal, '/remove/cart', portalCookie);
    expect((await get(shop, '/state', shopCookie)).body.attributes).toEqual({});
  });

  it('loads the session once per request and serves every read from memory', async () => {
    await get(shop, '/read-many', shopCookie);
    expect(calls).toEqual([{ method: 'GET', status: 200 }]);
  });

  it('flushes several writes of one request in one PATCH, before the response ends', async () => {
    const { body } = await post(shop, '/set/cart?also=a&also=b', shopCookie, ['pen']);
    expect(body.readsOwnWrite).toEqual(['pen']);
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([{ method: 'PATCH', status: 200 }]);
    // The browser's very next request, at another app, already sees the writes.
    expect((await get(portal, '/state', portalCookie)).body.attributes).toEqual({
      cart: ['pen'],
      a: 'extra',
      b: 'extra',
    });
  });

  it('revalidates an unchanged cached session with a 304, and refetches after a change', async () => {
    await get(shop, '/state', shopCookie);
    await get(shop, '/state', shopCookie);
    expect(calls.map((c) => c.status)).toEqual([200, 304]);
    await post(portal, '/set/cart', portalCookie, ['lamp']);
    calls = [];
    expect((await get(shop, '/state', shopCookie)).body.attributes).toEqual({ cart: ['lamp'] });
    expect(calls.map((c) => c.status)).toEqual([200]);
  });

  it('skips revalidation inside the staleness window when an app asks for it', async () => {
    const relaxed = new TesseraClient({
      baseUrl: service.url,
      clientId: 'shop',
      clientSecret: 'shop-secret',
      maxStalenessMs: 60_000,
    });
    try {
      await relaxed.getSession(shopToken);
      await relaxed.getSession(shopToken);
      await relaxed.getSession(shopToken);
      expect(calls).toHaveLength(1);
    } finally {
      await relaxed.close();
    }
  });

  it('ends the app session and clears the app cookie once the service says it expired', async () => {
    expect((await get(shop, '/state', shopCookie)).body.subject).toMatch(/^sdk-/);
    clock.advance(600_000);
    const { response, body } = await get(shop, '/state', shopCookie);
    expect(body).toEqual({ anonymous: true });
    expect(response.headers.get('set-cookie')).toMatch(/^tessera_app=;.*Max-Age=0/);
    clock.advance(-600_000);
  });

  it('refuses the token of shop presented through portal', async () => {
    const { body, response } = await get(portal, '/state', shopCookie);
    expect(body).toEqual({ anonymous: true });
    expect(calls).toEqual([{ method: 'GET', status: 401 }]);
    expect(response.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('surfaces service errors as typed errors', async () => {
    await expect(
      shop.client.patchSession(shopToken, [
        { op: 'set', key: 'big', value: 'x'.repeat(2000), time: clock.now() },
      ]),
    ).rejects.toMatchObject({
      constructor: AttributeLimitError,
      status: 413,
      limit: 'maxValueBytes',
    });
    await expect(shop.client.getSession('tsa.not-a-token')).rejects.toBeInstanceOf(
      InvalidSessionError,
    );
    const wrong = new TesseraClient({
      baseUrl: service.url,
      clientId: 'shop',
      clientSecret: 'wrong',
    });
    try {
      await expect(wrong.getSession(shopToken)).rejects.toBeInstanceOf(ClientAuthenticationError);
    } finally {
      await wrong.close();
    }
  });

  it('gives a NestJS app the session through TesseraModule and @TesseraSession()', async () => {
    @Controller()
    class CartController {
      @Get('cart')
      cart(@TesseraSession() session: RequestSession | undefined) {
        return { cart: session?.get('cart') ?? null, subject: session?.principal.subject ?? null };
      }
    }
    @Module({
      imports: [
        TesseraModule.forRoot({
          baseUrl: service.url,
          clientId: 'portal',
          clientSecret: 'portal-secret',
          cookie: { secure: false },
        }),
      ],
      controllers: [CartController],
    })
    class PortalModule {}

    const nest: INestApplication = await NestFactory.create(PortalModule, { logger: ['error'] });
    await nest.listen(0, '127.0.0.1');
    try {
      await post(shop, '/set/cart', shopCookie, ['mug']);
      const { port } = nest.getHttpServer().address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/cart`, {
        headers: { cookie: portalCookie },
      });
      expect(await response.json()).toEqual({
        cart: ['mug'],
        subject: expect.stringMatching(/^sdk-/),
      });
    } finally {
      await nest.close();
    }
  });
});
