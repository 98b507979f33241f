import { formatAdminToken, parseAdminToken } from '@tessera/core';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { adminHeaders, issueAdminToken } from './support/admin-tokens';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const apps = [{ clientId: 'shop', secret: 'shop-secret' }];
const freshValue = () =>
  formatAdminToken({
    id: randomBytes(16).toString('base64url'),
    validator: randomBytes(32).toString('base64url'),
  });

describe('admin API access (real service, real database)', () => {
  let service: TestService;
  let full: string;
  let read: string;

  beforeAll(async () => {
    service = await startTestService({ apps });
    full = await issueAdminToken(service, 'full');
    read = await issueAdminToken(service, 'read');
  });

  afterAll(() => service.close());

  const tokens = (token?: string, init: RequestInit = {}) =>
    fetch(`${service.url}/admin/v1/tokens`, {
      ...init,
      headers: { ...(token === undefined ? {} : adminHeaders(token)), ...init.headers },
    });

  async function expectRefused(response: Response, status: number, challenge: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toBe(challenge);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { statusCode: number; message: string };
    expect(body.statusCode).toBe(status);
    expect(body.message).toEqual(expect.any(String));
  }

  const NO_TOKEN = 'Bearer realm="tessera-admin"';
  const INVALID = 'Bearer realm="tessera-admin", error="invalid_token"';
  const SCOPE = 'Bearer realm="tessera-admin", error="insufficient_scope"';

  it('answers 401 without a token, and with Basic credentials instead of a Bearer token', async () => {
    await expectRefused(await tokens(), 401, NO_TOKEN);
    await expectRefused(
      await fetch(`${service.url}/admin/v1/tokens`, {
        headers: { authorization: `Basic ${Buffer.from('shop:shop-secret').toString('base64')}` },
      }),
      401,
      NO_TOKEN,
    );
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['an empty Bearer value', ''],
    ['an unknown token', freshValue()],
    ['a wrong prefix', () => full.replace(/^tsk\./, 'tss.')],
    ['a wrong validator', () => full.slice(0, -4) + 'AAAA'],
    [
      'an app session token shape',
      `tsa.${'a'.repeat(22)}.${'b'.repeat(22)}.${'c'.repeat(16)}.${'d'.repeat(43)}`,
    ],
  ])('answers 401 invalid_token for %s', async (_label, value) => {
    const token = typeof value === 'function' ? value() : value;
    await expectRefused(await tokens(token), 401, INVALID);
  });

  it('answers 403 insufficient_scope to a read token on a full route', async () => {
    await expectRefused(await tokens(read), 403, SCOPE);
    const post = await tokens(read, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sneaky', scope: 'full' }),
    });
    await expectRefused(post, 403, SCOPE);
    const list = (await (await tokens(full)).json()) as { items: { name: string }[] };
    expect(list.items.map((t) => t.name)).not.toContain('sneaky');
  });

  it('lets a full token list tokens, with no-store and without any secret', async () => {
    const response = await tokens(full);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).not.toContain(parseAdminToken(full)!.validator);
    const body = JSON.parse(text) as { items: Record<string, unknown>[] };
    expect(body.items.length).toBeGreaterThanOrEqual(2);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(
        expect.arrayContaining(['createdAt', 'id', 'name', 'scopes']),
      );
      expect(item).not.toHaveProperty('validatorHash');
    }
  });

  it('creates a token shown once, which works at once, and revokes it at once', async () => {
    const created = await tokens(full, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci pipeline', scope: 'read' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { token, value } = (await created.json()) as {
      token: { id: string; name: string; scopes: string[] };
      value: string;
    };
    expect(token).toMatchObject({ name: 'ci pipeline', scopes: ['read'] });
    expect(parseAdminToken(value)?.id).toBe(token.id);

    // A read token may read (any GET of another area); the tokens list needs full.
    await expectRefused(await tokens(value), 403, SCOPE);

    const revoked = await fetch(`${service.url}/admin/v1/tokens/${token.id}`, {
      method: 'DELETE',
      headers: adminHeaders(full),
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id: token.id, revokedAt: expect.any(String) });
    await expectRefused(await tokens(value), 401, INVALID);
  });

  it('refuses bad creation input and bad token ids with 400, creating nothing', async () => {
    const before = ((await (await tokens(full)).json()) as { items: unknown[] }).items.length;
    for (const body of [
      { name: 'x', scope: 'admin' },
      { name: '', scope: 'read' },
      { name: 'x'.repeat(65), scope: 'read' },
      { name: ['x'], scope: 'read' },
      { name: 'x', scope: 'read', extra: 1 },
      { name: 'line\nbreak', scope: 'read' },
      { name: '   ', scope: 'read' },
      { name: 'zero\u200bwidth', scope: 'read' },
    ]) {
      const response = await tokens(full, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
    const after = ((await (await tokens(full)).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before);
    for (const id of ['short', 'a'.repeat(23), '%24ne']) {
      const response = await fetch(`${service.url}/admin/v1/tokens/${id}`, {
        method: 'DELETE',
        headers: adminHeaders(full),
      });
      expect(response.status).toBe(400);
    }
    const unknown = await fetch(`${service.url}/admin/v1/tokens/${'a'.repeat(22)}`, {
      method: 'DELETE',
      headers: adminHeaders(full),
    });
    expect(unknown.status).toBe(404);
  });

  it('pages through tokens by cursor, newest first, and refuses a malformed cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await fetch(
        `${service.url}/admin/v1/tokens?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: adminHeaders(full) },
      );
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { id: string }[]; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await (await tokens(full)).json()) as { items: { id: string }[] };
    expect(seen).toEqual(all.items.map((t) => t.id));
    for (const query of ['cursor=bm90LWEtY3Vyc29y', 'limit=0', 'limit=201', 'cursor[$ne]=x']) {
      const response = await fetch(`${service.url}/admin/v1/tokens?${query}`, {
        headers: adminHeaders(full),
      });
      expect(response.status).toBe(400);
    }
  });

  it('stores tokens hashed: the database holds no token value or validator', async () => {
    const client = new MongoClient(service.database.uri);
    try {
      const docs = await client
        .db(service.database.dbName)
        .collection<{ _id: string }>('admin_tokens')
        .find()
        .toArray();
      const dump = JSON.stringify(docs);
      for (const value of [full, read]) {
        expect(dump).not.toContain(value);
        expect(dump).not.toContain(parseAdminToken(value)!.validator);
      }
      expect(docs.find((d) => d._id === parseAdminToken(full)!.id)).toMatchObject({
        validatorHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
    } finally {
      await client.close();
    }
  });

  it('ends a revoked token on a second instance sharing the database at its next request', async () => {
    const other = await startTestService({ apps, database: service.database });
    try {
      const value = await issueAdminToken(service, 'full');
      const onOther = () => fetch(`${other.url}/admin/v1/tokens`, { headers: adminHeaders(value) });
      expect((await onOther()).status).toBe(200);
      const id = parseAdminToken(value)!.id;
      const revoked = await fetch(`${service.url}/admin/v1/tokens/${id}`, {
        method: 'DELETE',
        headers: adminHeaders(full),
      });
      expect(revoked.status).toBe(200);
      await expectRefused(await onOther(), 401, INVALID);
    } finally {
      await other.close();
    }
  });

  it('lets a token revoke itself; its next request is refused', async () => {
    const value = await issueAdminToken(service, 'full');
    const id = parseAdminToken(value)!.id;
    const response = await fetch(`${service.url}/admin/v1/tokens/${id}`, {
      method: 'DELETE',
      headers: adminHeaders(value),
    });
    expect(response.status).toBe(200);
    await expectRefused(await tokens(value), 401, INVALID);
  });
});

describe('the bootstrap admin token (TESSERA_BOOTSTRAP_ADMIN_TOKEN)', () => {
  it('is stored with the full scope on first start, once, even when two instances start at once', async () => {
    const value = freshValue();
    const env = { TESSERA_BOOTSTRAP_ADMIN_TOKEN: value };
    const first = await startTestService({ apps, env });
    try {
      const [second, third] = await Promise.all([
        startTestService({ apps, env, database: first.database }),
        startTestService({ apps, env, database: first.database }),
      ]);
      await second.close();
      await third.close();
      const response = await fetch(`${first.url}/admin/v1/tokens`, {
        headers: adminHeaders(value),
      });
      expect(response.status).toBe(200);
      const { items } = (await response.json()) as {
        items: { id: string; name: string; scopes: string[] }[];
      };
      expect(items).toEqual([
        expect.objectContaining({
          id: parseAdminToken(value)!.id,
          name: 'bootstrap',
          scopes: ['full'],
        }),
      ]);
    } finally {
      await first.close();
    }
  });

  it.each([
    ['garbage', 'letmein'],
    ['a wrong prefix', freshValue().replace(/^tsk/, 'tsa')],
    ['a short validator', freshValue().slice(0, -1)],
  ])(
    'stops start-up on %s, naming the variable without showing the value',
    async (_label, value) => {
      const start = startTestService({ apps, env: { TESSERA_BOOTSTRAP_ADMIN_TOKEN: value } });
      await expect(start).rejects.toThrow(/TESSERA_BOOTSTRAP_ADMIN_TOKEN is not an admin token/);
      await expect(start).rejects.not.toThrow(value);
    },
  );
});
