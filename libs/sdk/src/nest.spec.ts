import type { AddressInfo } from 'node:net';
import { Controller, Get } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TesseraClient } from './client';
import { request } from 'undici';
import type { TesseraLogin } from './login/tessera-login';
import { TESSERA_LOGIN, TesseraModule, TesseraSession } from './nest';
import type { RequestSession } from './request-session';
import type { SessionView } from './session-view';

@Controller()
class ProbeController {
  @Get('probe')
  probe(@TesseraSession() session: RequestSession | undefined) {
    session?.set('visited', true);
    return { subject: session?.principal.subject ?? null };
  }
}

describe('TesseraModule', () => {
  let app: INestApplication | undefined;
  afterEach(() => app?.close());

  it('runs the middleware on every route and hands the session to @TesseraSession()', async () => {
    const view = {
      principal: { subject: 'alice', realm: 'r', profile: {} },
      session: { id: 's', expiresAt: '2100-01-01T00:00:00.000Z' },
      version: 'v1',
      attributes: { shared: {}, private: {} },
    } as unknown as SessionView;
    // A stub of the client object (the module's wiring is under test, not HTTP).
    const client = {
      getSession: jest.fn().mockResolvedValue(view),
      patchSession: jest.fn().mockResolvedValue(view),
      close: jest.fn().mockResolvedValue(undefined),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        TesseraModule.forRoot({
          baseUrl: 'http://127.0.0.1:1',
          clientId: 'shop',
          clientSecret: 's',
        }),
      ],
      controllers: [ProbeController],
    })
      .overrideProvider(TesseraClient)
      .useValue(client)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0);
    const { port } = app.getHttpServer().address() as AddressInfo;

    const anonymous = await fetch(`http://127.0.0.1:${port}/probe`);
    expect(await anonymous.json()).toEqual({ subject: null });

    const signedIn = await fetch(`http://127.0.0.1:${port}/probe`, {
      headers: { cookie: 'tessera_app=tsa.t' },
    });
    expect(await signedIn.json()).toEqual({ subject: 'alice' });
    expect(client.getSession).toHaveBeenCalledTimes(1);
    expect(client.patchSession.mock.calls[0][1]).toMatchObject([{ op: 'set', key: 'visited' }]);

    await app.close();
    app = undefined;
    expect(client.close).toHaveBeenCalled();
  });

  it('builds the client from options given by a factory', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TesseraModule.forRootAsync({
          useFactory: () =>
            Promise.resolve({ baseUrl: 'http://127.0.0.1:1', clientId: 'shop', clientSecret: 's' }),
        }),
      ],
    }).compile();
    expect(moduleRef.get(TesseraClient)).toBeInstanceOf(TesseraClient);
    await moduleRef.close();
  });

  it('with login options, mounts the login routes and requires a signed-in user everywhere', async () => {
    const client = {
      clientId: 'shop',
      getSession: jest.fn(),
      patchSession: jest.fn(),
      exchangeCode: jest.fn(),
      forget: jest.fn(),
      close: jest.fn().mockResolvedValue(undefined),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        TesseraModule.forRoot({
          baseUrl: 'http://127.0.0.1:1',
          clientId: 'shop',
          clientSecret: 's',
          cookie: { secure: false },
          login: {
            serviceUrl: 'http://sso.example.test:8080',
            redirectUri: 'http://shop.example.test:3001/auth/callback',
            cookieSecret: 'a-test-secret-of-at-least-32-bytes!',
          },
        }),
      ],
      controllers: [ProbeController],
    })
      .overrideProvider(TesseraClient)
      .useValue(client)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const navigate = (path: string) =>
      request(`http://127.0.0.1:${port}${path}`, {
        headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' },
      });

    const page = await navigate('/probe?x=1');
    expect(page.statusCode).toBe(302);
    expect(String(page.headers.location)).toMatch(
      /^http:\/\/sso\.example\.test:8080\/authorize\?response_type=code&client_id=shop&/,
    );
    await page.body.dump();
    const start = await navigate('/auth/login?return_to=%2Fprobe');
    expect(start.statusCode).toBe(302);
    await start.body.dump();
    const api = await request(`http://127.0.0.1:${port}/probe`, {
      headers: { accept: 'application/json' },
    });
    expect(api.statusCode).toBe(401);
    await api.body.dump();
    expect(app.get<TesseraLogin>(TESSERA_LOGIN).startLogin).toBeInstanceOf(Function);
  });
});
