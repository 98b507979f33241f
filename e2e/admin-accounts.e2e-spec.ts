import { InvalidCredentials, SignInWithPassword } from '@tessera/core';
import { adminHeaders, issueAdminToken } from './support/admin-tokens';
import { sessionApi } from './support/session-api-client';
import { postLoginForm } from './support/login-form';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const CALLBACK = 'http://shop.example.test:3001/auth/callback';
const BASE = '/admin/v1/accounts';

interface AccountBody {
  subject: string;
  realm: string;
  username: string;
  profile: { name?: string; email?: string };
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
}

interface PageBody {
  items: AccountBody[];
  nextCursor?: string;
}

describe('admin API: local accounts (real service, real database)', () => {
  let service: TestService;
  let full: string;
  let read: string;
  let ip = 0;

  beforeAll(async () => {
    service = await startTestService({
      apps: [
        { clientId: 'shop', secret: 'shop-secret', redirectUris: [CALLBACK] },
        { clientId: 'elsewhere', secret: 'elsewhere-secret', realm: 'other' },
      ],
    });
    full = await issueAdminToken(service, 'full');
    read = await issueAdminToken(service, 'read');
  });

  afterAll(() => service.close());

  function call(method: string, path: string, body?: unknown, token = full): Promise<Response> {
    return fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...adminHeaders(token),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  const create = (body: unknown, token = full) => call('POST', BASE, body, token);
  const list = (query = '', token = read) => call('GET', `${BASE}${query}`, undefined, token);
  const on = (realm: string, username: string, action: string) =>
    `${BASE}/${encodeURIComponent(realm)}/${encodeURIComponent(username)}/${action}`;

  async function json<T>(response: Response): Promise<T> {
    return (await response.json()) as T;
  }

  /** All accounts of a realm, straight from the listing. */
  async function accountsOf(realm: string): Promise<AccountBody[]> {
    return (await json<PageBody>(await list(`?realm=${realm}&limit=200`))).items;
  }

  async function expectRefused(response: Response, status: number, message?: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await json<{ statusCode: number; message: string }>(response);
    expect(body.statusCode).toBe(status);
    if (message) expect(body.message).toMatch(message);
  }

  /** SignInWithPassword itself: true when the password signs in. */
  async function signsIn(realm: string, username: string, password: string): Promise<boolean> {
    const signIn = service.app.get(SignInWithPassword);
    const clientIp = `10.9.${Math.floor(++ip / 250)}.${ip % 250}`;
    return signIn.execute({ realm, username, password, clientIp }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof InvalidCredentials) return false;
        throw error;
      },
    );
  }

  /** The real login page: the status of the form post (303 back to the app, 401 refused). */
  async function loginPageStatus(username: string, password: string): Promise<number> {
    const post = { clientId: 'shop', redirectUri: CALLBACK, username, password };
    return (await postLoginForm(service.url, post)).status;
  }

  describe('create', () => {
    it('creates an account (201), normalising the name, and never shows a password hash', async () => {
      const response = await create({
        realm: 'example',
        username: ' Ada ',
        password: 'correct-horse-battery',
        name: 'Ada Lovelace',
        email: 'ada@example.test',
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await json<AccountBody>(response);
      expect(body).toEqual({
        subject: expect.stringMatching(/^local:[A-Za-z0-9_-]{22}$/),
        realm: 'example',
        username: 'ada',
        profile: { name: 'Ada Lovelace', email: 'ada@example.test' },
        enabled: true,
        createdAt: expect.any(String),
        updatedAt: body.createdAt,
        passwordChangedAt: body.createdAt,
      });
      expect(JSON.stringify(body)).not.toMatch(/argon2|passwordHash/);
      expect(await signsIn('example', 'ada', 'correct-horse-battery')).toBe(true);
    });

    it('answers 409 for a name that exists in any spelling, keeping the first account', async () => {
      await create({ realm: 'example', username: 'grace', password: 'grace-first-password' });
      const again = await create({
        realm: 'example',
        username: 'GRACE',
        password: 'grace-second-password',
      });
      await expectRefused(again, 409, /already exists/);
      expect(await signsIn('example', 'grace', 'grace-first-password')).toBe(true);
      // The same name in another realm is another account.
      expect(
        (await create({ realm: 'other', username: 'grace', password: 'grace-other-realm' })).status,
      ).toBe(201);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a weak password', { password: 'too-short' }, /password: must be at least 12 characters/],
      ['an overlong password', { password: 'x'.repeat(1025) }, /password/],
      ['a username with a control character', { username: 'bad\u0000name' }, /username/],
      ['an overlong username', { username: 'u'.repeat(65) }, /username/],
      ['an array as username', { username: ['newbie', 'other'] }, /username/],
      ['an object as username', { username: { $ne: null } }, /username/],
      ['a malformed realm', { realm: 'Ex:ample' }, /realm/],
      ['a realm that is not configured', { realm: 'nowhere' }, /not a configured realm/],
      ['an unknown field', { role: 'admin' }, /role should not exist/],
      ['a password hash instead of a password', { passwordHash: '$argon2id$x' }, /passwordHash/],
      ['an email that is not one', { email: 'newbie.example.test' }, /email/],
    ])('refuses %s with 400 and creates nothing', async (_label, change, message) => {
      const response = await create({
        realm: 'example',
        username: 'newbie',
        password: 'a-fine-long-password',
        ...change,
      });
      await expectRefused(response, 400, message);
      expect((await accountsOf('example')).map((a) => a.username)).not.toContain('newbie');
    });

    it('needs a full token: 403 with a read token, 401 without one', async () => {
      const body = { realm: 'example', username: 'sneaky', password: 'a-fine-long-password' };
      await expectRefused(await create(body, read), 403);
      const anonymous = await fetch(`${service.url}${BASE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await expectRefused(anonymous, 401);
      expect((await accountsOf('example')).map((a) => a.username)).not.toContain('sneaky');
    });
  });

  describe('list', () => {
    beforeAll(async () => {
      for (const username of ['lena', 'lars', 'l.x', 'lukas', 'mia']) {
        const response = await create({
          realm: 'other',
          username,
          password: `${username}-long-password`,
        });
        expect(response.status).toBe(201);
      }
    });

    it('pages through a realm in username order with opaque cursors', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const query = `?realm=other&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await list(query);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const page = await json<PageBody>(response);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((a) => a.username));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(['grace', 'l.x', 'lars', 'lena', 'lukas', 'mia']);
      expect(pages).toBe(3);
    });

    it('lists every realm in (realm, username) order without a realm filter', async () => {
      const page = await json<PageBody>(await list('?limit=200'));
      const keys = page.items.map((a) => `${a.realm}/${a.username}`);
      expect(keys).toEqual([...keys].sort());
      expect(keys).toEqual(expect.arrayContaining(['example/ada', 'other/mia']));
      for (const item of page.items) expect(Object.keys(item)).not.toContain('passwordHash');
    });

    it('filters by a username prefix, literally and in any spelling', async () => {
      const names = async (query: string) =>
        (await json<PageBody>(await list(query))).items.map((a) => a.username);
      expect(await names('?realm=other&usernamePrefix=L')).toEqual([
        'l.x',
        'lars',
        'lena',
        'lukas',
      ]);
      expect(await names('?realm=other&usernamePrefix=l.')).toEqual(['l.x']);
      expect(await names('?usernamePrefix=.*')).toEqual([]);
      expect(await names('?usernamePrefix=gra')).toEqual(['grace', 'grace']);
    });

    it.each<[string, string, RegExp]>([
      ['an operator object as prefix', '?usernamePrefix[$ne]=x', /usernamePrefix/],
      ['an operator object as realm', '?realm[$gt]=', /realm/],
      ['a repeated realm', '?realm=other&realm=example', /realm/],
      ['an overlong prefix', `?usernamePrefix=${'a'.repeat(65)}`, /usernamePrefix/],
      ['a prefix with a control character', '?usernamePrefix=a%00', /username/],
      ['a malformed realm', '?realm=Other!', /realm/],
      ['a malformed cursor', '?cursor=not*base64', /cursor/],
      ['a cursor that decodes to nonsense', '?cursor=bm9wZQ', /cursor/],
      ['an unknown parameter', '?role=admin', /role should not exist/],
      ['a limit of 0', '?limit=0', /limit/],
      ['a limit over 200', '?limit=201', /limit/],
    ])('refuses %s with 400', async (_label, query, message) => {
      await expectRefused(await list(query), 400, message);
    });

    it("refuses another list's cursor", async () => {
      const tokens = await call('GET', '/admin/v1/tokens?limit=1');
      const cursor = (await json<PageBody>(tokens)).nextCursor;
      expect(cursor).toBeDefined();
      await expectRefused(await list(`?cursor=${cursor}`), 400, /cursor/);
    });

    it('needs a token: 401 without one', async () => {
      await expectRefused(await fetch(`${service.url}${BASE}`), 401);
    });
  });

  describe('disable and enable', () => {
    beforeAll(async () => {
      await create({ realm: 'example', username: 'dora', password: 'dora-long-password' });
    });

    it('a disabled account cannot sign in (login page and use case); enabling lets it in again', async () => {
      const disabled = await call('POST', on('example', 'Dora', 'disable'));
      expect(disabled.status).toBe(200);
      const body = await json<AccountBody>(disabled);
      expect(body).toMatchObject({ username: 'dora', enabled: false });
      expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(body.createdAt));
      expect(body.passwordChangedAt).toBe(body.createdAt);

      expect(await loginPageStatus('dora', 'dora-long-password')).toBe(401);
      expect(await signsIn('example', 'dora', 'dora-long-password')).toBe(false);
      // Disabling again is allowed and changes nothing else.
      expect((await call('POST', on('example', 'dora', 'disable'))).status).toBe(200);

      const enabled = await call('POST', on('example', 'dora', 'enable'));
      expect(enabled.status).toBe(200);
      expect(await json<AccountBody>(enabled)).toMatchObject({ enabled: true });
      expect(await loginPageStatus('dora', 'dora-long-password')).toBe(303);
    });

    it('answers 404 for an unknown account or realm, changing nothing', async () => {
      await expectRefused(await call('POST', on('example', 'nobody', 'disable')), 404, /nobody/);
      await expectRefused(await call('POST', on('nowhere', 'dora', 'disable')), 404);
      await expectRefused(await call('POST', on('other', 'dora', 'enable')), 404);
      expect((await accountsOf('example')).find((a) => a.username === 'dora')?.enabled).toBe(true);
    });

    it.each<[string, string, string]>([
      ['a username with a control character', 'example', 'do\u0000ra'],
      ['an overlong username', 'example', 'd'.repeat(300)],
      ['a malformed realm', 'Example', 'dora'],
    ])('refuses %s in the path with 400', async (_label, realm, username) => {
      await expectRefused(await call('POST', on(realm, username, 'disable')), 400);
      expect((await accountsOf('example')).find((a) => a.username === 'dora')?.enabled).toBe(true);
    });

    it("ends the account's sessions through single logout, unless told not to", async () => {
      const shop = sessionApi(service.url, 'shop', 'shop-secret');
      const signedIn = async (username: string) => {
        const created = await create({ realm: 'example', username, password: 'a-long-password' });
        const { subject } = await json<AccountBody>(created);
        return service.joinApp(await service.signIn(subject), 'shop');
      };
      const kept = await signedIn('kept-signed-in');
      const keptAnswer = await call('POST', on('example', 'kept-signed-in', 'disable'), {
        endSessions: false,
      });
      expect(await json<{ sessionsEnded?: number }>(keptAnswer)).not.toHaveProperty(
        'sessionsEnded',
      );
      expect((await shop.get(kept)).status).toBe(200);

      const ended = await signedIn('signed-out');
      const endedAnswer = await call('POST', on('example', 'signed-out', 'disable'));
      expect(await json<{ sessionsEnded?: number }>(endedAnswer)).toMatchObject({
        enabled: false,
        sessionsEnded: 1,
      });
      expect((await shop.get(ended)).status).toBe(401);
      await expectRefused(
        await call('POST', on('example', 'signed-out', 'disable'), { endSessions: 'yes' }),
        400,
        /endSessions/,
      );
    });

    it('needs a full token: 403 with a read token', async () => {
      await expectRefused(
        await call('POST', on('example', 'dora', 'disable'), undefined, read),
        403,
      );
      expect((await accountsOf('example')).find((a) => a.username === 'dora')?.enabled).toBe(true);
    });
  });

  describe('reset password', () => {
    beforeAll(async () => {
      await create({ realm: 'example', username: 'pia', password: 'pia-old-password' });
    });

    it('refuses a weak or missing password, an unknown field and a read token, keeping the old one', async () => {
      const reset = on('example', 'pia', 'password');
      await expectRefused(await call('POST', reset, { password: 'short' }), 400, /12 characters/);
      await expectRefused(await call('POST', reset, { password: ['a-long-password-1'] }), 400);
      await expectRefused(await call('POST', reset, {}), 400, /password/);
      await expectRefused(
        await call('POST', reset, { password: 'pia-new-password', disabled: false }),
        400,
        /disabled should not exist/,
      );
      await expectRefused(await call('POST', reset, { password: 'pia-new-password' }, read), 403);
      await expectRefused(
        await call('POST', on('example', 'nobody', 'password'), { password: 'pia-new-password' }),
        404,
      );
      expect(await signsIn('example', 'pia', 'pia-old-password')).toBe(true);
      expect(await signsIn('example', 'pia', 'pia-new-password')).toBe(false);
    });

    it('signs the account out everywhere when asked to, and only then', async () => {
      const shop = sessionApi(service.url, 'shop', 'shop-secret');
      const created = await create({
        realm: 'example',
        username: 'rex',
        password: 'rex-old-password',
      });
      const { subject } = await json<AccountBody>(created);
      const token = await service.joinApp(await service.signIn(subject), 'shop');
      const reset = on('example', 'rex', 'password');
      const quiet = await call('POST', reset, { password: 'rex-new-password-1' });
      expect(await json<object>(quiet)).not.toHaveProperty('sessionsEnded');
      expect((await shop.get(token)).status).toBe(200);
      const everywhere = await call('POST', reset, {
        password: 'rex-new-password-2',
        endSessions: true,
      });
      expect(await json<{ sessionsEnded?: number }>(everywhere)).toMatchObject({
        sessionsEnded: 1,
      });
      expect((await shop.get(token)).status).toBe(401);
    });

    it('sets a new password: the old one is refused, the new one accepted', async () => {
      const before = (await accountsOf('example')).find((a) => a.username === 'pia')!;
      const response = await call('POST', on('example', 'pia', 'password'), {
        password: 'pia-new-password',
      });
      expect(response.status).toBe(200);
      const body = await json<AccountBody>(response);
      expect(body).toMatchObject({ username: 'pia', enabled: true });
      expect(Date.parse(body.passwordChangedAt)).toBeGreaterThan(
        Date.parse(before.passwordChangedAt),
      );
      expect(body.updatedAt).toBe(body.passwordChangedAt);
      expect(JSON.stringify(body)).not.toMatch(/argon2|pia-new-password/);

      expect(await signsIn('example', 'pia', 'pia-old-password')).toBe(false);
      expect(await signsIn('example', 'pia', 'pia-new-password')).toBe(true);
      expect(await loginPageStatus('pia', 'pia-new-password')).toBe(303);
    });
  });
});
