import {
  AuditLog,
  CreateLocalAccount,
  EndSsoSession,
  ManualClock,
  sessionEndEventId,
  SweepExpiredSessions,
} from '@tessera/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { adminHeaders, issueAdminToken } from './support/admin-tokens';
import { HttpBrowser } from './support/http-browser';
import { driveProvider } from './support/oidc-provider/drive-provider';
import type { RunningOidcProvider } from './support/oidc-provider/start-oidc-provider';
import { startProviderForService } from './support/oidc-provider/start-oidc-provider';
import { pkcePair } from './support/pkce';
import { basicAuth } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { postLoginForm } from './support/login-form';
import { startTestService } from './support/tessera-service';

const CALLBACK = 'http://shop.example.test:3001/auth/callback';

interface EventView {
  id: string;
  at: string;
  type: string;
  realm?: string;
  principalId?: string;
  subject?: string;
  sessionId?: string;
  clientId?: string;
  clientIp?: string;
  details: Record<string, unknown>;
}
interface PageView {
  items: EventView[];
  nextCursor?: string;
}

/** The audit log through the real service: what sign-ins, logouts and admin calls leave behind. */
describe('admin audit log (real service, real database)', () => {
  let service: TestService;
  let read: string;
  let full: string;
  let accountId: string;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    service = await startTestService({
      clock,
      // The sweeper runs by hand here, on the manual clock.
      env: { TESSERA_IDLE_TIMEOUT_SECONDS: '600', TESSERA_SWEEP_INTERVAL_SECONDS: '0' },
      apps: [{ clientId: 'shop', secret: 'shop-secret', redirectUris: [CALLBACK] }],
    });
    const account = await service.app.get(CreateLocalAccount).execute({
      realm: 'example',
      username: 'ada',
      password: 'correct-horse-battery',
    });
    accountId = account.id;
    read = await issueAdminToken(service, 'read');
    full = await issueAdminToken(service, 'full');
  });

  afterAll(() => service.close());

  const audit = (query = '', token = read) =>
    fetch(`${service.url}/admin/v1/audit${query ? `?${query}` : ''}`, {
      headers: adminHeaders(token),
    });

  async function events(query: string): Promise<EventView[]> {
    const response = await audit(query);
    expect(response.status).toBe(200);
    return ((await response.json()) as PageView).items;
  }

  const signInAtLoginPage = (password: string) =>
    postLoginForm(service.url, {
      clientId: 'shop',
      redirectUri: CALLBACK,
      username: 'Ada',
      password,
    });

  it('records a local sign-in once, with principal, session, app and client address', async () => {
    const response = await signInAtLoginPage('correct-horse-battery');
    expect(response.status).toBe(303);
    const found = await events(`type=login.succeeded&subject=local:${accountId}&realm=example`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'login.succeeded',
      realm: 'example',
      subject: `local:${accountId}`,
      principalId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      clientId: 'shop',
      clientIp: expect.stringContaining('127.0.0.1'),
      details: { method: 'password' },
    });
    expect(Date.parse(found[0].at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records a failed local sign-in with its reason, which the user never sees', async () => {
    const response = await signInAtLoginPage('wrong-password-here');
    expect(response.status).not.toBe(303);
    const found = await events('type=login.failed');
    expect(found[0]).toMatchObject({
      type: 'login.failed',
      realm: 'example',
      clientIp: expect.stringContaining('127.0.0.1'),
      details: { method: 'password', reason: 'wrong_password', username: 'ada' },
    });
    expect(found[0]).not.toHaveProperty('principalId');
  });

  it('records a logout from an app as session.ended with its cause, exactly once', async () => {
    const sso = await service.signIn('logout-user');
    const token = await service.joinApp(sso, 'shop');
    const response = await fetch(`${service.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { authorization: basicAuth('shop', 'shop-secret'), 'tessera-session': token },
    });
    expect(response.status).toBe(204);
    const found = await events(`type=session.ended&principalId=${sso.principalId}`);
    expect(found).toEqual([
      expect.objectContaining({
        id: sessionEndEventId(sso.sessionId),
        type: 'session.ended',
        realm: 'example',
        principalId: sso.principalId,
        subject: 'logout-user',
        sessionId: sso.sessionId,
        details: { cause: 'logout', apps: ['shop'] },
      }),
    ]);
    // A completion that runs again (after a crash) records nothing new.
    await service.app.get(AuditLog).record({
      id: sessionEndEventId(sso.sessionId),
      at: Date.now(),
      type: 'session.ended',
      details: { cause: 'admin' },
    });
    expect(await events(`type=session.ended&principalId=${sso.principalId}`)).toEqual(found);
  });

  it("records an administrator's kill and an idle expiry with their causes", async () => {
    const killed = await service.signIn('killed-user');
    await service.app.get(EndSsoSession).execute({
      principalId: killed.principalId,
      sessionId: killed.sessionId,
      cause: 'admin',
    });
    const idle = await service.signIn('idle-user');
    clock.advance(601_000);
    await service.app.get(SweepExpiredSessions).execute(100);
    const ended = await events('type=session.ended&limit=200');
    const causeOf = (sessionId: string) =>
      ended.find((e) => e.id === sessionEndEventId(sessionId))?.details.cause;
    expect(causeOf(killed.sessionId)).toBe('admin');
    expect(causeOf(idle.sessionId)).toBe('idle-timeout');
  });

  it('records admin calls that change state with actor, route, targets and status, and no reads', async () => {
    const before = (await events('type=admin.action&limit=200')).length;
    const created = await fetch(`${service.url}/admin/v1/tokens`, {
      method: 'POST',
      headers: { ...adminHeaders(full), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'audited', scope: 'read' }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: { id: string } };
    const revoked = await fetch(`${service.url}/admin/v1/tokens/${token.id}`, {
      method: 'DELETE',
      headers: adminHeaders(full),
    });
    expect(revoked.status).toBe(200);
    const refused = await fetch(`${service.url}/admin/v1/tokens/not-an-id`, {
      method: 'DELETE',
      headers: adminHeaders(full),
    });
    expect(refused.status).toBe(400);
    await fetch(`${service.url}/admin/v1/tokens`, { headers: adminHeaders(full) }); // a read

    // Recorded before each answer went out: no waiting.
    const found = await events('type=admin.action&limit=200');
    expect(found).toHaveLength(before + 3);
    // Calls within one millisecond (the clock is manual here) are ordered by id, not by arrival.
    const latest = found.slice(0, 3);
    const byStatus = (status: number) => latest.find((e) => e.details.status === status)!;
    const [create, revoke, bad] = [byStatus(201), byStatus(200), byStatus(400)];
    const actor = { tokenName: 'e2e full', tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) };
    expect(create.details).toEqual({
      ...actor,
      method: 'POST',
      route: '/admin/v1/tokens',
      targets: {},
      status: 201,
    });
    expect(revoke.details).toEqual({
      ...actor,
      method: 'DELETE',
      route: '/admin/v1/tokens/:tokenId',
      targets: { tokenId: token.id },
      status: 200,
    });
    expect(bad.details).toMatchObject({ targets: { tokenId: 'not-an-id' }, status: 400 });
    expect(create.clientIp).toContain('127.0.0.1');
  });

  it('filters by type list, principal, subject and time range', async () => {
    const sso = await service.signIn('filter-user');
    await service.app.get(AuditLog).record({
      id: 'filter-old',
      at: Date.UTC(2020, 0, 1),
      type: 'login.failed',
      realm: 'example',
      principalId: sso.principalId,
      subject: 'filter-user',
      details: { reason: 'wrong_password' },
    });
    await service.app.get(AuditLog).record({
      id: 'filter-new',
      at: Date.UTC(2020, 0, 2),
      type: 'login.throttled',
      realm: 'example',
      principalId: sso.principalId,
      subject: 'filter-user',
      details: { retryAfterMs: 1000 },
    });
    const ids = (list: EventView[]) => list.map((e) => e.id);
    expect(ids(await events(`principalId=${sso.principalId}`))).toEqual([
      'filter-new',
      'filter-old',
    ]);
    expect(ids(await events('subject=filter-user&realm=example&type=login.failed'))).toEqual([
      'filter-old',
    ]);
    expect(
      ids(await events('subject=filter-user&realm=example&type=login.failed,login.throttled')),
    ).toEqual(['filter-new', 'filter-old']);
    expect(
      ids(
        await events(
          'from=2020-01-01T12:00:00Z&to=2020-01-03T00:00:00.000Z&realm=example&subject=filter-user',
        ),
      ),
    ).toEqual(['filter-new']);
    expect(ids(await events('to=2020-01-01T00:00:00Z'))).toEqual(['filter-old']);
    expect(await events('subject=filter-user&realm=other')).toEqual([]);
  });

  it('writes an admin action to the log before the answer goes out, even when the log is slow', async () => {
    const log = service.app.get(AuditLog);
    const write = log.record.bind(log);
    const slowLog = jest.spyOn(log, 'record').mockImplementation(async (entry) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return write(entry);
    });
    const creations = () =>
      service.app.get<Connection>(getConnectionToken()).collection('audit_log').countDocuments({
        type: 'admin.action',
        'details.method': 'POST',
        'details.route': '/admin/v1/tokens',
      });
    try {
      const before = await creations();
      const created = await fetch(`${service.url}/admin/v1/tokens`, {
        method: 'POST',
        headers: { ...adminHeaders(full), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'slow-log', scope: 'read' }),
      });
      expect(created.status).toBe(201);
      // Straight from the collection, at once: the answer must not have come before the record.
      expect(await creations()).toBe(before + 1);
    } finally {
      slowLog.mockRestore();
    }
  });

  it('pages newest first by cursor without gaps or repeats, even with equal times', async () => {
    const log = service.app.get(AuditLog);
    const at = Date.UTC(2019, 5, 1);
    for (let i = 0; i < 7; i++) {
      await log.record({
        id: `page-${i}`,
        at: at + (i < 4 ? 0 : i),
        type: 'admin.action',
        details: {},
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await audit(
        `to=2019-12-31T00:00:00Z&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.status).toBe(200);
      const page = (await response.json()) as PageView;
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
  });

  it.each([
    ['type[$ne]=x'],
    ['type=login'],
    ['type=login.failed,'],
    ['type=login.failed&type=login.succeeded'],
    ['limit=0'],
    ['limit=1000'],
    ['limit=abc'],
    ['cursor=not-a-cursor'],
    [`cursor=${Buffer.from(JSON.stringify(['admin-tokens', 1, 'x'])).toString('base64url')}`],
    ['from=yesterday'],
    // Valid ISO 8601 that Date.parse cannot read: refused, not a failed query.
    ['from=2024-W01'],
    ['to=20240101T000000Z'],
    // A cursor of this list whose time no Date can hold.
    [`cursor=${Buffer.from(JSON.stringify(['audit', 1e300, 'x'])).toString('base64url')}`],
    ['to=2020-13-01T00:00:00Z'],
    ['from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z'],
    ['principalId=short'],
    ['principalId[$gt]='],
    ['subject=ada'],
    ['realm=example'],
    ['subject=' + 'x'.repeat(513) + '&realm=example'],
    ['sort=at'],
  ])('refuses %s with 400 and a message', async (query) => {
    const response = await audit(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { message: string };
    expect(body.message).toEqual(expect.any(String));
  });

  it('answers only to admin tokens: 401 without one, and a read token may read', async () => {
    const none = await fetch(`${service.url}/admin/v1/audit`);
    expect(none.status).toBe(401);
    const ok = await audit('limit=1', read);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });
});

/** Upstream OpenID sign-ins leave the same events as password sign-ins. */
describe('admin audit log of upstream sign-ins (real service, real OpenID provider)', () => {
  const APP_REDIRECT = 'http://shop.example.test/callback';
  const account = { sub: 'alice-7', name: 'Alice', email: 'alice@idp.test', password: 'pw-alice' };
  let provider: RunningOidcProvider;
  let service: TestService;
  let publicUrl: string;
  let read: string;

  beforeAll(async () => {
    let port: number;
    ({ provider, port, publicUrl } = await startProviderForService(account));
    service = await startTestService({
      port,
      apps: [{ clientId: 'shop', secret: 'shop-secret', redirectUris: [APP_REDIRECT] }],
      identityProviders: [
        {
          id: 'testidp',
          issuer: provider.issuer,
          clientId: 'tessera',
          clientSecret: 'upstream-secret',
        },
      ],
    });
    read = await issueAdminToken(service, 'read');
  });

  afterAll(async () => {
    await service?.close();
    await provider?.stop();
  });

  /** To the provider's callback, through a pending login at shop; the provider's answer decides. */
  async function throughProvider(action: { kind: 'cancel' } | { kind: 'sign-in' }) {
    const browser = new HttpBrowser();
    const authorize = new URL('/authorize', publicUrl);
    authorize.search = new URLSearchParams({
      client_id: 'shop',
      redirect_uri: APP_REDIRECT,
      response_type: 'code',
      state: 'st',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    }).toString();
    await browser.get(authorize.href);
    const page = await browser.get(`${publicUrl}/login`);
    const csrf = /[?&;]csrf=([A-Za-z0-9_-]+)/.exec(page.body)![1];
    const started = await browser.get(
      `${publicUrl}/login/upstream/example/testidp?csrf=${encodeURIComponent(csrf)}`,
    );
    const callback = await driveProvider(
      browser,
      started.location!,
      action.kind === 'cancel'
        ? action
        : { kind: 'sign-in', username: account.sub, password: account.password },
    );
    return browser.get(callback);
  }

  async function events(query: string): Promise<EventView[]> {
    const response = await fetch(`${publicUrl}/admin/v1/audit?${query}`, {
      headers: adminHeaders(read),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as PageView).items;
  }

  it('records an upstream sign-in once as login.succeeded with the provider', async () => {
    const completed = await throughProvider({ kind: 'sign-in' });
    expect(completed.status).toBe(303);
    const found = await events('type=login.succeeded');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      realm: 'example',
      subject: 'testidp:alice-7',
      principalId: expect.any(String),
      sessionId: expect.any(String),
      clientId: 'shop',
      details: { method: 'upstream', provider: 'testidp' },
    });
  });

  it('records a refusal at the provider as login.failed with the reason', async () => {
    const completed = await throughProvider({ kind: 'cancel' });
    expect(completed.status).toBe(403);
    const found = await events('type=login.failed');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      realm: 'example',
      clientIp: expect.stringContaining('127.0.0.1'),
      details: {
        method: 'upstream',
        provider: 'testidp',
        reason: 'upstream_refused',
        detail: 'access_denied',
      },
    });
  });
});

describe('admin audit log of refused admin calls (real service)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ apps: [] });
  });

  afterAll(() => service.close());

  async function refusals(): Promise<EventView[]> {
    const full = await issueAdminToken(service, 'full');
    const response = await fetch(`${service.url}/admin/v1/audit?type=admin.refused&limit=200`, {
      headers: adminHeaders(full),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as PageView).items;
  }

  it('records each refusal with its reason, and at most ten per client address and minute', async () => {
    const read = await issueAdminToken(service, 'read');
    const minute = Math.floor(Date.now() / 60_000);
    const tokens = `${service.url}/admin/v1/tokens`;
    const statuses = [
      (await fetch(tokens)).status,
      (await fetch(tokens, { headers: adminHeaders('tsk.nonsense') })).status,
      (await fetch(tokens, { headers: adminHeaders(read) })).status,
    ];
    expect(statuses).toEqual([401, 401, 403]);
    const first = await refusals();
    expect(first.map((e) => e.details.reason).sort()).toEqual([
      'insufficient_scope',
      'invalid_token',
      'no_token',
    ]);
    expect(first.find((e) => e.details.reason === 'insufficient_scope')).toMatchObject({
      clientIp: expect.stringContaining('127.0.0.1'),
      details: {
        method: 'GET',
        path: '/admin/v1/tokens',
        needed: 'full',
        tokenId: expect.any(String),
      },
    });

    // A flood of bad tokens from one address: the log keeps ten a minute, the answers stay 401.
    for (let i = 0; i < 15; i++) {
      const response = await fetch(tokens, { headers: adminHeaders(`tsk.bad${i}`) });
      expect(response.status).toBe(401);
    }
    const kept = await refusals();
    if (Math.floor(Date.now() / 60_000) === minute) expect(kept).toHaveLength(10);
    else expect(kept.length).toBeLessThanOrEqual(20);
  });
});
