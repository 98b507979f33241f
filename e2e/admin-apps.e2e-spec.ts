import { MongoClient } from 'mongodb';
import { adminHeaders, issueAdminToken } from './support/admin-tokens';
import { HttpBrowser } from './support/http-browser';
import { pkcePair } from './support/pkce';
import { basicAuth, sessionApi } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const SHOP_CALLBACK = 'http://shop.example.test:3001/auth/callback';
const NEW_CALLBACK = 'http://crm.example.test:3003/auth/callback';
/** Short, so the two-instance tests stay quick; the default is 1000 ms. */
const REFRESH_MS = 300;
/** What a lookup may take beyond the bound on a busy test machine (one argon2 run, one read). */
const SLACK_MS = 1500;

/** The admin API for apps: every endpoint, every refusal, and the effect on a second instance. */
describe('admin API: apps (real service, real database)', () => {
  let svc: TestService;
  let second: TestService;
  let full: string;
  let read: string;

  beforeAll(async () => {
    const apps = [{ clientId: 'shop', secret: 'shop-secret', redirectUris: [SHOP_CALLBACK] }];
    const env = { TESSERA_APP_REFRESH_MS: String(REFRESH_MS) };
    svc = await startTestService({ apps, env });
    // A second instance on the same database, as behind a load balancer.
    second = await startTestService({ apps, env, database: svc.database });
    full = await issueAdminToken(svc, 'full');
    read = await issueAdminToken(svc, 'read');
  });

  afterAll(async () => {
    await second?.close();
    await svc?.close();
  });

  function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    return fetch(`${svc.url}/admin/v1/apps${path}`, {
      method,
      headers: {
        ...adminHeaders(options.token ?? full),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
  }

  const register = (body: Record<string, unknown>) => call('POST', '', { body });

  async function registered(clientId: string, extra: Record<string, unknown> = {}) {
    const response = await register({
      clientId,
      realm: 'example',
      redirectUris: [`http://${clientId.toLowerCase()}.example.test:3003/auth/callback`],
      ...extra,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { clientSecret: string; version: number };
  }

  async function stored(clientId: string) {
    const response = await call('GET', `/${clientId}`, { token: read });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The app documents as stored, read straight from the database. */
  async function storedDocument(clientId: string) {
    const client = new MongoClient(svc.database.uri);
    try {
      return await client
        .db(svc.database.dbName)
        .collection('apps')
        .findOne({ _id: clientId as never });
    } finally {
      await client.close();
    }
  }

  /** Polls `check` until it holds; answers how long that took. */
  async function timeUntil(check: () => Promise<boolean>, withinMs: number): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Date.now() - started;
  }

  /** A signed-in browser's way through /authorize and /token for `clientId`; the /token answer. */
  async function signInThrough(
    service: TestService,
    clientId: string,
    secret: string,
    redirectUri: string,
  ) {
    const { ssoToken } = await service.signIn(`user-${Math.random()}`);
    const jar = new HttpBrowser();
    jar.setCookie(service.url, 'tessera_sso', ssoToken);
    const { verifier, challenge } = pkcePair();
    const authorize = new URL('/authorize', service.url);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    const page = await jar.get(authorize.href);
    if (page.status !== 303 || !page.location?.startsWith(redirectUri)) return { page };
    const code = new URL(page.location).searchParams.get('code')!;
    const exchanged = await fetch(`${service.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuth(clientId, secret),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
    });
    return { page, exchanged };
  }

  /** Whether `service` accepts the client credentials (the session API without a token says 401 either way, so use a bad token: 401 invalid_client vs invalid_session). */
  async function clientAccepted(service: TestService, clientId: string, secret: string) {
    const response = await sessionApi(service.url, clientId, secret).get('not-a-token');
    const body = (await response.json()) as { error: string };
    return body.error !== 'invalid_client';
  }

  describe('reading', () => {
    it('lists the apps of the realms file, page by page, filtered by realm, never with a secret', async () => {
      await registered('list-a');
      await registered('list-b');
      const first = await call('GET', '?limit=2', { token: read });
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const page = (await first.json()) as { items: { clientId: string }[]; nextCursor: string };
      expect(page.items.map((app) => app.clientId)).toEqual(['list-a', 'list-b']);
      const next = await call('GET', `?limit=2&cursor=${page.nextCursor}`, { token: read });
      const rest = (await next.json()) as { items: { clientId: string }[] };
      expect(rest.items.map((app) => app.clientId)).toContain('shop');

      const text = JSON.stringify([page, rest]);
      expect(text).not.toMatch(/argon2|secret/i);

      const none = await call('GET', '?realm=other', { token: read });
      expect(await none.json()).toEqual({ items: [] });
    });

    it('shows one app with its version as ETag, without the secret hash', async () => {
      const response = await call('GET', '/shop', { token: read });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toMatch(/^"\d+"$/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        clientId: 'shop',
        realm: 'example',
        enabled: true,
        redirectUris: [SHOP_CALLBACK],
        attributePolicy: { defaultScope: 'shared', sharedKeys: [], privateKeys: [] },
      });
      expect(Object.keys(body)).not.toContain('secretHash');
      expect(JSON.stringify(body)).not.toMatch(/argon2/);
    });

    it.each([
      ['an unknown app', '/nobody', 404],
      ['a client id with a dot', '/a.b', 400],
      ['a client id with an operator', '/%24ne', 400],
      ['a client id over 64 characters', `/${'a'.repeat(65)}`, 400],
    ])('answers %s with the right status', async (_, path, status) => {
      expect((await call('GET', path, { token: read })).status).toBe(status);
    });

    it.each([
      ['limit 0', '?limit=0'],
      ['limit over 200', '?limit=201'],
      ['a malformed cursor', '?cursor=%%%'],
      [
        'a cursor of another list',
        `?cursor=${Buffer.from('["accounts","x"]').toString('base64url')}`,
      ],
      ['a realm with an operator', '?realm[$ne]=x'],
      ['a repeated realm', '?realm=example&realm=other'],
      ['an unknown filter', '?colour=red'],
    ])('refuses %s with 400', async (_, query) => {
      const response = await call('GET', query, { token: read });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBeTruthy();
    });

    it('refuses without a token (401) and changes with a read-only token (403)', async () => {
      expect((await fetch(`${svc.url}/admin/v1/apps`)).status).toBe(401);
      const denied = await call('POST', '', {
        token: read,
        body: { clientId: 'by-reader', realm: 'example' },
      });
      expect(denied.status).toBe(403);
      expect((await stored('by-reader')).status).toBe(404);
    });
  });

  describe('registering', () => {
    it('answers the new secret once, stores only its argon2id hash, and refuses the id again', async () => {
      const response = await register({
        clientId: 'crm',
        realm: 'example',
        redirectUris: [NEW_CALLBACK],
        backchannelLogoutUri: 'http://crm.example.test:3003/auth/backchannel-logout',
        attributePolicy: { privateKeys: ['csrf'] },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('etag')).toBe('"1"');
      const body = (await response.json()) as { clientSecret: string; version: number };
      expect(body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body).toMatchObject({ version: 1, enabled: true, realm: 'example' });

      const document = await storedDocument('crm');
      expect(document?.secretHash).toMatch(/^\$argon2id\$/);
      expect(JSON.stringify(document)).not.toContain(body.clientSecret);
      expect(JSON.stringify((await stored('crm')).body)).not.toContain(body.clientSecret);

      const again = await register({ clientId: 'crm', realm: 'example' });
      expect(again.status).toBe(409);
      expect((await storedDocument('crm'))?.secretHash).toBe(document?.secretHash);
    });

    it('lets a registered app sign a user in at once, through /authorize and /token', async () => {
      const { clientSecret } = await registered('fresh', {
        redirectUris: ['http://fresh.example.test:3004/cb'],
      });
      const { exchanged } = await signInThrough(
        svc,
        'fresh',
        clientSecret,
        'http://fresh.example.test:3004/cb',
      );
      expect(exchanged?.status).toBe(200);
      const { access_token } = (await exchanged!.json()) as { access_token: string };
      expect((await sessionApi(svc.url, 'fresh', clientSecret).get(access_token)).status).toBe(200);
    });

    const valid = { clientId: 'bad-input', realm: 'example' };
    const uri = (value: unknown) => ({ ...valid, redirectUris: [value] });
    it.each<[string, Record<string, unknown>]>([
      ['a client id with a dot', { ...valid, clientId: 'a.b' }],
      ['a client id with a space', { ...valid, clientId: 'a b' }],
      ['an empty client id', { ...valid, clientId: '' }],
      ['a client id over 64 characters', { ...valid, clientId: 'a'.repeat(65) }],
      ['a client id given as an array', { ...valid, clientId: ['bad-input'] }],
      ['a client id given as an object', { ...valid, clientId: { $ne: 'x' } }],
      ['no client id', { realm: 'example' }],
      ['an unknown realm', { ...valid, realm: 'nowhere' }],
      ['a realm given as an object', { ...valid, realm: { $ne: 'x' } }],
      ['a javascript: redirect URI', uri('javascript:alert(1)')],
      ['a relative redirect URI', uri('/auth/callback')],
      ['a wildcard redirect URI', uri('http://*.example.test/cb')],
      ['a redirect URI with a fragment', uri('http://shop.example.test/cb#x')],
      ['a redirect URI with user info', uri('http://u:p@shop.example.test/cb')],
      ['a redirect URI off the root domain', uri('http://evil.test/cb')],
      ['a redirect URI on a look-alike domain', uri('http://badexample.test/cb')],
      ['a redirect URI not in canonical form', uri('HTTP://Shop.example.test/cb')],
      ['a redirect URI that is not http(s)', uri('ftp://shop.example.test/cb')],
      ['a redirect URI given as a number', uri(1)],
      ['a redirect URI over 2048 characters', uri(`http://shop.example.test/${'a'.repeat(2048)}`)],
      ['redirect URIs given as a string', { ...valid, redirectUris: SHOP_CALLBACK }],
      ['redirect URIs as null', { ...valid, redirectUris: null }],
      [
        '21 redirect URIs',
        {
          ...valid,
          redirectUris: Array.from({ length: 21 }, (_, i) => `http://shop.example.test/cb${i}`),
        },
      ],
      ['a javascript: back-channel URI', { ...valid, backchannelLogoutUri: 'javascript:x' }],
      ['a back-channel URI given as an array', { ...valid, backchannelLogoutUri: [SHOP_CALLBACK] }],
      ['an empty back-channel URI', { ...valid, backchannelLogoutUri: '' }],
      ['a relative front-channel URI', { ...valid, frontchannelLogoutUri: '/logout' }],
      ['a front-channel URI off the domain', { ...valid, frontchannelLogoutUri: 'http://x.test/' }],
      [
        'a wildcard post-logout URI',
        { ...valid, postLogoutRedirectUris: ['http://*.example.test/'] },
      ],
      ['a policy given as an array', { ...valid, attributePolicy: [] }],
      ['a policy given as a string', { ...valid, attributePolicy: 'shared' }],
      ['an unknown default scope', { ...valid, attributePolicy: { defaultScope: 'public' } }],
      [
        'a key both shared and private',
        { ...valid, attributePolicy: { sharedKeys: ['x'], privateKeys: ['x'] } },
      ],
      ['a pattern matching everything', { ...valid, attributePolicy: { privateKeys: ['*'] } }],
      [
        '1001 key patterns',
        {
          ...valid,
          attributePolicy: { privateKeys: Array.from({ length: 1001 }, (_, i) => `k${i}`) },
        },
      ],
      ['an unknown policy field', { ...valid, attributePolicy: { colour: 'red' } }],
      ['enabled given as a string', { ...valid, enabled: 'yes' }],
      ['a secret hash of its own', { ...valid, secretHash: '$argon2id$v=19$x' }],
      ['an unknown field', { ...valid, colour: 'red' }],
    ])('refuses %s with 400 and registers nothing', async (_, body) => {
      const response = await register(body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBeTruthy();
      expect(await storedDocument('bad-input')).toBeNull();
    });

    it('refuses a body that is not JSON', async () => {
      const response = await call('POST', '', { body: '{"clientId":' });
      expect(response.status).toBe(400);
    });
  });

  describe('updating', () => {
    it('needs If-Match with the current version, and applies only the fields given', async () => {
      await registered('edit', { backchannelLogoutUri: 'http://edit.example.test/bc' });
      const change = { redirectUris: ['http://edit.example.test/new-cb'] };
      expect((await call('PATCH', '/edit', { body: change })).status).toBe(428);
      for (const ifMatch of ['abc', 'garbage "1"', '"1" trailing', '"1", "2"']) {
        const bad = await call('PATCH', '/edit', {
          body: change,
          headers: { 'if-match': ifMatch },
        });
        expect(bad.status).toBe(400);
      }
      // If-Match compares strongly: a weak tag of the current version is a stale one.
      const weak = await call('PATCH', '/edit', { body: change, headers: { 'if-match': 'W/"1"' } });
      expect(weak.status).toBe(412);
      expect(weak.headers.get('etag')).toBe('"1"');

      const ok = await call('PATCH', '/edit', {
        body: {
          ...change,
          backchannelLogoutUri: null,
          attributePolicy: { defaultScope: 'private' },
        },
        headers: { 'if-match': '"1"' },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('etag')).toBe('"2"');
      const body = (await ok.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        version: 2,
        redirectUris: ['http://edit.example.test/new-cb'],
        attributePolicy: { defaultScope: 'private', sharedKeys: [], privateKeys: [] },
        enabled: true,
      });
      expect(body.backchannelLogoutUri).toBeUndefined();

      const stale = await call('PATCH', '/edit', {
        body: { redirectUris: [] },
        headers: { 'if-match': '"1"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"2"');
      expect((await stored('edit')).body).toMatchObject({
        version: 2,
        redirectUris: ['http://edit.example.test/new-cb'],
      });
    });

    it('never loses one of two concurrent updates silently: one wins, the other gets 412', async () => {
      await registered('race');
      const statuses = await Promise.all(
        ['a', 'b'].map((path) =>
          call('PATCH', '/race', {
            body: { redirectUris: [`http://race.example.test/${path}`] },
            headers: { 'if-match': '"1"' },
          }).then((r) => r.status),
        ),
      );
      expect(statuses.sort()).toEqual([200, 412]);
      expect((await stored('race')).body.version).toBe(2);
    });

    it.each<[string, unknown]>([
      ['a javascript: redirect URI', { redirectUris: ['javascript:alert(1)'] }],
      ['a relative redirect URI', { redirectUris: ['cb'] }],
      ['a wildcard logout URI', { frontchannelLogoutUri: 'http://*.example.test/' }],
      ['an off-domain back-channel URI', { backchannelLogoutUri: 'http://evil.test/bc' }],
      [
        '30 post-logout URIs',
        {
          postLogoutRedirectUris: Array.from(
            { length: 30 },
            (_, i) => `http://x.example.test/${i}`,
          ),
        },
      ],
      ['a contradictory policy', { attributePolicy: { sharedKeys: ['a'], privateKeys: ['a'] } }],
      ['an array as enabled', { enabled: [true] }],
      ['the client id', { clientId: 'renamed' }],
      ['the realm', { realm: 'other' }],
      ['the secret hash', { secretHash: '$argon2id$x' }],
      ['nothing at all', {}],
      ['an array body', [{ enabled: false }]],
    ])('refuses %s with 400 and changes nothing', async (_, body) => {
      const before = (await stored('shop')).body;
      const response = await call('PATCH', '/shop', {
        body,
        headers: { 'if-match': `"${String(before.version)}"` },
      });
      expect(response.status).toBe(400);
      expect((await stored('shop')).body).toEqual(before);
    });

    it('answers 404 for an unknown app and 400 for a bad client id', async () => {
      const body = { enabled: false };
      const headers = { 'if-match': '"1"' };
      expect((await call('PATCH', '/nobody', { body, headers })).status).toBe(404);
      expect((await call('PATCH', '/a.b', { body, headers })).status).toBe(400);
      expect((await call('POST', '/nobody/disable')).status).toBe(404);
      expect((await call('POST', '/nobody/secret')).status).toBe(404);
    });
  });

  describe('disabling, enabling and rotating', () => {
    it('disables an app: its client authentication and its session tokens are refused; enable restores them', async () => {
      const { clientSecret } = await registered('pausable', {
        redirectUris: ['http://pausable.example.test/cb'],
      });
      const { exchanged } = await signInThrough(
        svc,
        'pausable',
        clientSecret,
        'http://pausable.example.test/cb',
      );
      const { access_token } = (await exchanged!.json()) as { access_token: string };
      const api = sessionApi(svc.url, 'pausable', clientSecret);
      expect((await api.get(access_token)).status).toBe(200);

      const disabled = await call('POST', '/pausable/disable');
      expect(disabled.status).toBe(200);
      expect(await disabled.json()).toMatchObject({ enabled: false, version: 2 });
      const refused = await api.get(access_token);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
      const { page } = await signInThrough(
        svc,
        'pausable',
        clientSecret,
        'http://pausable.example.test/cb',
      );
      expect(page.status).toBe(400);
      expect(page.location).toBeUndefined();

      const enabled = await call('POST', '/pausable/enable', { headers: { 'if-match': '"2"' } });
      expect(enabled.status).toBe(200);
      expect((await api.get(access_token)).status).toBe(200);
    });

    it('rotates the secret: the new one works at once, the old one is refused, even where it was cached', async () => {
      const { clientSecret: old } = await registered('rotating');
      expect(await clientAccepted(svc, 'rotating', old)).toBe(true); // now cached as verified

      const rotated = await call('POST', '/rotating/secret');
      expect(rotated.status).toBe(200);
      const { clientSecret, version } = (await rotated.json()) as {
        clientSecret: string;
        version: number;
      };
      expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(clientSecret).not.toBe(old);
      expect(version).toBe(2);

      expect(await clientAccepted(svc, 'rotating', old)).toBe(false);
      expect(await clientAccepted(svc, 'rotating', clientSecret)).toBe(true);
      expect(JSON.stringify((await stored('rotating')).body)).not.toContain(clientSecret);

      const stale = await call('POST', '/rotating/secret', { headers: { 'if-match': '"1"' } });
      expect(stale.status).toBe(412);
      expect(await clientAccepted(svc, 'rotating', clientSecret)).toBe(true);
    });
  });

  describe('the realms file at start-up', () => {
    it('keeps what the admin API set on a file app, unless TESSERA_APP_SEED=overwrite', async () => {
      await registered('filed', { redirectUris: ['http://filed.example.test/admin-set'] });
      const fileApp = {
        clientId: 'filed',
        secret: 'file-secret',
        redirectUris: ['http://filed.example.test/from-file'],
      };
      const restarted = await startTestService({ apps: [fileApp], database: svc.database });
      await restarted.close();
      expect((await stored('filed')).body).toMatchObject({
        version: 1,
        redirectUris: ['http://filed.example.test/admin-set'],
      });

      const overwriting = await startTestService({
        apps: [fileApp],
        database: svc.database,
        env: { TESSERA_APP_SEED: 'overwrite' },
      });
      try {
        expect((await stored('filed')).body).toMatchObject({
          version: 2,
          redirectUris: ['http://filed.example.test/from-file'],
        });
        expect(await clientAccepted(overwriting, 'filed', 'file-secret')).toBe(true);
      } finally {
        await overwriting.close();
      }
    });
  });

  describe('on a second instance, within TESSERA_APP_REFRESH_MS', () => {
    const bound = REFRESH_MS + SLACK_MS;

    it('a registered app authenticates there', async () => {
      const { clientSecret } = await registered('spread');
      const took = await timeUntil(() => clientAccepted(second, 'spread', clientSecret), bound);
      expect(took).toBeLessThanOrEqual(bound);
    });

    it('a new redirect URI is accepted there, and sign-in works through it', async () => {
      await registered('moving', { redirectUris: ['http://moving.example.test/old'] });
      const started = Date.now();
      const patched = await call('PATCH', '/moving', {
        body: { redirectUris: ['http://moving.example.test/new'] },
        headers: { 'if-match': '"1"' },
      });
      expect(patched.status).toBe(200);
      await timeUntil(async () => {
        const { page } = await signInThrough(
          second,
          'moving',
          'unused',
          'http://moving.example.test/new',
        );
        return page.status === 303;
      }, bound);
      expect(Date.now() - started).toBeLessThanOrEqual(bound + 500);
    });

    it('a rotated secret stops working there, though it was cached as verified', async () => {
      const { clientSecret: old } = await registered('rotate-far');
      await timeUntil(() => clientAccepted(second, 'rotate-far', old), bound);
      const rotated = await call('POST', '/rotate-far/secret');
      const { clientSecret } = (await rotated.json()) as { clientSecret: string };
      await timeUntil(async () => !(await clientAccepted(second, 'rotate-far', old)), bound);
      expect(await clientAccepted(second, 'rotate-far', clientSecret)).toBe(true);
      // Stays refused: no cache brings it back.
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
      expect(await clientAccepted(second, 'rotate-far', old)).toBe(false);
    });

    it("a disabled app's client authentication and session tokens are refused there", async () => {
      const { clientSecret } = await registered('stop-far', {
        redirectUris: ['http://stop-far.example.test/cb'],
      });
      await timeUntil(() => clientAccepted(second, 'stop-far', clientSecret), bound);
      const { exchanged } = await signInThrough(
        second,
        'stop-far',
        clientSecret,
        'http://stop-far.example.test/cb',
      );
      const { access_token } = (await exchanged!.json()) as { access_token: string };
      const api = sessionApi(second.url, 'stop-far', clientSecret);
      expect((await api.get(access_token)).status).toBe(200);

      expect((await call('POST', '/stop-far/disable')).status).toBe(200);
      await timeUntil(async () => (await api.get(access_token)).status === 401, bound);
      expect(await clientAccepted(second, 'stop-far', clientSecret)).toBe(false);
    });
  });
});
