import { getConnectionToken } from '@nestjs/mongoose';
import { PrincipalStore } from '@tessera/core';
import type { Connection } from 'mongoose';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import { encodeCursor } from '../apps/sso-server/src/admin/shared/page-cursor';
import { adminHeaders, issueAdminToken } from './support/admin-tokens';
import { mapRealmNamesToLoopback } from './support/loopback-names';
import { remove, sessionApi, set } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { freeLoopbackPort, startTestService } from './support/tessera-service';

/**
 * The admin API's online users, sessions and kill switches, over HTTP against the real service
 * and database, with a real back-channel receiver on loopback for the apps' logout tokens.
 */
interface OnlinePage {
  items: {
    principalId: string;
    subject: string;
    realm: string;
    profile: Record<string, string>;
    liveSessions: number;
    appsInUse: string[];
    lastActivityAt: string;
  }[];
  total: number;
  nextCursor?: string;
}

/** Records the `sid` of every logout token POSTed to it and answers 204. */
class BackChannel {
  readonly sids: string[] = [];
  private readonly server: Server = createServer((req, res) => void this.take(req, res));

  async listen(port: number) {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async take(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('logout_token') ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      sid: string;
    };
    this.sids.push(claims.sid);
    res.writeHead(204).end();
  }
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('admin API: online users, sessions, kill switches (real service)', () => {
  let svc: TestService;
  let backChannel: BackChannel;
  let unmapNames: () => Promise<void>;
  let read: string;
  let full: string;
  const people: { principalId: string; sessionId: string; shopToken?: string }[] = [];

  beforeAll(async () => {
    unmapNames = mapRealmNamesToLoopback();
    const port = await freeLoopbackPort();
    backChannel = new BackChannel();
    await backChannel.listen(port);
    svc = await startTestService({
      apps: [
        {
          clientId: 'shop',
          secret: 'shop-secret',
          backchannelLogoutUri: `http://shop.example.test:${port}/bc`,
          attributePolicy: { privateKeys: ['theme'] },
        },
        {
          clientId: 'portal',
          secret: 'portal-secret',
          backchannelLogoutUri: `http://portal.example.test:${port}/bc`,
        },
        { clientId: 'crm', secret: 'crm-secret', realm: 'other' },
      ],
      env: { TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: '50' },
    });
    read = await issueAdminToken(svc, 'read');
    full = await issueAdminToken(svc, 'full');
    // Seven principals of realm example (even ones at shop, odd ones at portal), one of realm other.
    for (let i = 0; i < 7; i++) {
      const sso = await svc.signIn(`user:${i}`, { profile: { name: `Name ${i}` } });
      const token = await svc.joinApp(sso, i % 2 === 0 ? 'shop' : 'portal');
      people.push({ ...sso, ...(i % 2 === 0 ? { shopToken: token } : {}) });
    }
    const other = await svc.signIn('guest', { realm: 'other', profile: { name: 'Guest' } });
    await svc.joinApp(other, 'crm');
  });

  afterAll(async () => {
    await svc.close();
    await backChannel.close();
    await unmapNames();
  });

  const get = (path: string, token = read) =>
    fetch(`${svc.url}/admin/v1${path}`, { headers: adminHeaders(token) });
  const del = (path: string, token = full) =>
    fetch(`${svc.url}/admin/v1${path}`, { method: 'DELETE', headers: adminHeaders(token) });
  const online = async (query: string) => {
    const response = await get(`/online-users${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as OnlinePage;
  };
  const principalCount = () =>
    svc.app.get<Connection>(getConnectionToken()).collection('principals').countDocuments();

  it('pages through every online principal, newest activity first, with a stable total', async () => {
    const seen: OnlinePage['items'] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await online(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(8);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((i) => i.principalId)).toHaveLength(8);
    expect(new Set(seen.map((i) => i.principalId)).size).toBe(8);
    const times = seen.map((i) => Date.parse(i.lastActivityAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const shopper = seen.find((i) => i.subject === 'user:2')!;
    expect(shopper).toMatchObject({
      principalId: people[2].principalId,
      realm: 'example',
      profile: { name: 'Name 2' },
      liveSessions: 1,
      appsInUse: ['shop'],
    });
  });

  it('filters by app, realm, subject prefix and name prefix', async () => {
    const subjects = async (query: string) => {
      const page = await online(query);
      expect(page.items).toHaveLength(page.total);
      return page.items.map((i) => i.subject).sort();
    };
    expect(await subjects('?clientId=shop')).toEqual(['user:0', 'user:2', 'user:4', 'user:6']);
    expect(await subjects('?clientId=portal&realm=example')).toEqual([
      'user:1',
      'user:3',
      'user:5',
    ]);
    expect(await subjects('?realm=other')).toEqual(['guest']);
    expect(await subjects('?subjectPrefix=user%3A3')).toEqual(['user:3']);
    expect(await subjects('?namePrefix=nAmE%205')).toEqual(['user:5']);
    expect(await subjects('?namePrefix=gu&clientId=crm')).toEqual(['guest']);
    // Pattern characters are literal text.
    expect(await subjects('?subjectPrefix=user.')).toEqual([]);
    expect(await subjects('?subjectPrefix=.*')).toEqual([]);
  });

  it('refuses malformed, injected and unknown parameters with 400 and runs nothing', async () => {
    const before = await principalCount();
    const otherList = encodeCursor('admin-tokens', [Date.now(), 'x']);
    const refused = [
      '/online-users?subjectPrefix[$ne]=x',
      '/online-users?subjectPrefix[$regex]=.*',
      '/online-users?realm=example&realm=other',
      '/online-users?clientId[]=shop',
      '/online-users?limit=0',
      '/online-users?limit=201',
      '/online-users?limit=ten',
      '/online-users?cursor=not-a-cursor',
      '/online-users?cursor=%24%7B',
      `/online-users?cursor=${otherList}`,
      `/online-users?subjectPrefix=${'a'.repeat(101)}`,
      `/online-users?namePrefix=${'a'.repeat(101)}`,
      '/online-users?subjectPrefix=',
      // MongoDB refuses a pattern holding a NUL byte; it must be a 400, not a failed query.
      '/online-users?subjectPrefix=a%00',
      '/online-users?namePrefix=%00',
      `/online-users?cursor=${encodeCursor('online-users', [1e300, 'x'])}`,
      '/online-users?sort=subject',
      '/online-users?realm=Not_A_Realm',
      '/principals/not-an-id/sessions',
      `/principals/${people[0].principalId}/sessions/short`,
      `/principals/${people[0].principalId}/sessions?extra=1`,
    ];
    for (const path of refused) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      const body = (await response.json()) as { message: string };
      expect(body.message).toEqual(expect.any(String));
    }
    const badDelete = await del(`/principals/${people[0].principalId}/sessions/bad$id`);
    expect(badDelete.status).toBe(400);
    expect(await principalCount()).toBe(before);
    expect((await online('')).total).toBe(8);
  });

  it('requires a token, and the full scope to end sessions', async () => {
    const anonymous = await fetch(`${svc.url}/admin/v1/online-users`);
    expect(anonymous.status).toBe(401);
    const readOnly = await del(`/principals/${people[1].principalId}/sessions`, read);
    expect(readOnly.status).toBe(403);
    expect((await online('?subjectPrefix=user%3A1')).total).toBe(1);
  });

  it("lists a principal's sessions and shows one in full, attributes decoded", async () => {
    const person = people[4];
    const shop = sessionApi(svc.url, 'shop', 'shop-secret');
    const now = Date.now();
    const written = await shop.patch(person.shopToken, {
      operations: [
        set('cart', ['book', { qty: 2 }], now),
        set('theme', 'dark', now),
        set('a.b', 1, now),
        remove('gone', now),
      ],
    });
    expect(written.status).toBe(200);

    const list = await get(`/principals/${person.principalId}/sessions`);
    expect(list.status).toBe(200);
    const sessions = (await list.json()) as {
      principal: { subject: string; profile: Record<string, string> };
      sessions: Record<string, unknown>[];
    };
    expect(sessions.principal).toMatchObject({ subject: 'user:4', profile: { name: 'Name 4' } });
    expect(sessions.sessions).toHaveLength(1);
    const [overview] = sessions.sessions;
    expect(overview).toMatchObject({
      sessionId: person.sessionId,
      live: true,
      ended: false,
      client: { ip: '127.0.0.1', userAgent: 'jest' },
      apps: [{ clientId: 'shop', joinedAt: expect.any(String) }],
    });
    const times = ['createdAt', 'lastActivityAt', 'idleExpiresAt', 'absoluteExpiresAt'];
    for (const t of times) expect(Date.parse(overview[t] as string)).toBeGreaterThan(0);

    const detail = await get(`/principals/${person.principalId}/sessions/${person.sessionId}`);
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as Record<string, unknown>;
    expect(body.shared).toEqual([
      { key: 'a.b', value: 1, writer: 'shop', writtenAt: expect.any(String) },
      { key: 'cart', value: ['book', { qty: 2 }], writer: 'shop', writtenAt: expect.any(String) },
      { key: 'gone', removed: true, writer: 'shop', writtenAt: expect.any(String) },
    ]);
    expect(body.private).toEqual([
      {
        clientId: 'shop',
        attributes: [
          { key: 'theme', value: 'dark', writer: 'shop', writtenAt: expect.any(String) },
        ],
      },
    ]);
  });

  it('answers 404 for an unknown principal or session', async () => {
    const unknown = 'A'.repeat(22);
    expect((await get(`/principals/${unknown}/sessions`)).status).toBe(404);
    expect((await get(`/principals/${people[0].principalId}/sessions/${unknown}`)).status).toBe(
      404,
    );
    expect((await del(`/principals/${unknown}/sessions`)).status).toBe(404);
    expect((await del(`/principals/${people[0].principalId}/sessions/${unknown}`)).status).toBe(
      404,
    );
    expect((await online('')).total).toBe(8);
  });

  it('a kill ends the session in every app: logout tokens delivered, app token refused', async () => {
    const sso = await svc.signIn('victim', { profile: { name: 'Victim' } });
    const shopToken = await svc.joinApp(sso, 'shop');
    await svc.joinApp(sso, 'portal');
    const shop = sessionApi(svc.url, 'shop', 'shop-secret');
    expect((await shop.get(shopToken)).status).toBe(200);

    const killed = await del(`/principals/${sso.principalId}/sessions/${sso.sessionId}`);
    expect(killed.status).toBe(200);
    const outcome = (await killed.json()) as {
      ended: number;
      notifications: { clientId: string; sessionId: string; state: string }[];
    };
    expect(outcome.ended).toBe(1);
    expect(outcome.notifications.map((n) => n.clientId).sort()).toEqual(['portal', 'shop']);
    for (const n of outcome.notifications) {
      expect(n.sessionId).toBe(sso.sessionId);
      expect(['pending', 'delivered']).toContain(n.state);
    }
    // Dead at once for the app, and both apps get their logout token.
    expect((await shop.get(shopToken)).status).toBe(401);
    await waitFor(() => backChannel.sids.filter((sid) => sid === sso.sessionId).length === 2);
    expect((await online('?subjectPrefix=victim')).total).toBe(0);
    // Its end completed, the session (and the empty principal) is gone.
    expect((await del(`/principals/${sso.principalId}/sessions/${sso.sessionId}`)).status).toBe(
      404,
    );
  });

  it('ends all sessions of a principal, and an already-ended session ends with 0', async () => {
    const first = await svc.signIn('many');
    const second = await svc.signIn('many');
    const token = await svc.joinApp(second, 'shop');
    const third = await svc.signIn('many');
    // Marked ended without its completion yet (as after a crash): still stored.
    const store = svc.app.get(PrincipalStore);
    const loaded = (await store.loadPrincipal(first.principalId))!;
    expect(await store.endSessions(loaded, [third.sessionId], Date.now(), 'logout')).toBeDefined();
    const again = await del(`/principals/${first.principalId}/sessions/${third.sessionId}`);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ended: 0, notifications: [] });

    const all = await del(`/principals/${first.principalId}/sessions`);
    expect(all.status).toBe(200);
    const outcome = (await all.json()) as { ended: number; notifications: { sessionId: string }[] };
    expect(outcome.ended).toBe(2);
    expect(outcome.notifications.map((n) => n.sessionId)).toEqual([second.sessionId]);
    expect((await sessionApi(svc.url, 'shop', 'shop-secret').get(token)).status).toBe(401);
    expect((await get(`/principals/${first.principalId}/sessions`)).status).toBe(404);
    await waitFor(() => backChannel.sids.includes(second.sessionId));
  });
});
