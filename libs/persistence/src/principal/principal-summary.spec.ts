import type { TestingModule } from '@nestjs/testing';
import type { AppSession, SessionTimeouts, SsoSession } from '@tessera/core';
import {
  OnlinePrincipals,
  PrincipalStore,
  emptyAttributes,
  summarizeSessions,
} from '@tessera/core';
import type { Collection } from 'mongoose';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';
import { MongoPrincipalStore } from './mongo-principal-store';

const timeouts: SessionTimeouts = {
  idleTimeoutMs: 100_000,
  absoluteLifetimeMs: 1_000_000,
  touchIntervalMs: 1_000,
};
const T0 = 10_000_000;

describe('principal summary fields (real database)', () => {
  let persistence: PersistenceUnderTest;
  let moduleRef: TestingModule;
  let store: PrincipalStore;
  let online: OnlinePrincipals;
  let principals: Collection;
  let counter = 0;

  beforeAll(async () => {
    persistence = await startPersistence('summary', { sessionTimeouts: timeouts });
    moduleRef = persistence.moduleRef;
    store = moduleRef.get(PrincipalStore);
    online = moduleRef.get(OnlinePrincipals);
    principals = persistence.connection.collection('principals');
  });

  afterAll(async () => {
    await persistence.close();
  });

  const id = (prefix: string) => `${prefix}${String(++counter).padStart(21, '0')}`;

  function newSession(at: number): SsoSession {
    return {
      id: id('S'),
      validatorHash: 'hash',
      createdAt: at,
      lastAccessAt: at,
      client: {},
      appSessions: new Map(),
      codes: new Map(),
      attributes: emptyAttributes(),
    };
  }

  function appSession(clientId: string, at: number): AppSession {
    return { handleId: id('H').slice(0, 16), clientId, validatorHash: 'h', createdAt: at };
  }

  async function signIn(subject: string, at: number, profile = { name: subject }) {
    const { principal } = await store.findOrCreatePrincipal({
      newId: id('P'),
      realm: 'r',
      subject,
      now: at,
    });
    const session = newSession(at);
    const expiresAt = at + timeouts.idleTimeoutMs;
    expect(
      await store.addSession(principal.id, principal.rev, session, { profile, expiresAt }),
    ).toBe(true);
    return { principalId: principal.id, sessionId: session.id };
  }

  const rev = async (principalId: string) =>
    (await store.loadPrincipal(principalId))!.principal.rev;
  const current = async (principalId: string) => (await store.loadPrincipal(principalId))!;

  /** The invariant: the stored summary is what the stored sessions say. */
  async function expectSummaryRight(principalId: string) {
    const loaded = (await store.loadPrincipal(principalId))!;
    const doc = (await principals.findOne({ _id: principalId as never }))!;
    const expected = summarizeSessions(loaded.sessions.values(), timeouts);
    expect(doc.openSessions).toBe(expected.openSessions);
    expect(doc.liveUntil?.getTime()).toBe(expected.liveUntil);
    const apps = ((doc.sessionApps ?? []) as { s: string; c: string }[]).map(
      (a) => `${a.s}/${a.c}`,
    );
    expect(apps.sort()).toEqual(
      expected.sessionApps.map((a) => `${a.sessionId}/${a.clientId}`).sort(),
    );
    return doc;
  }

  it('sign-in, joins, access and touches grow the summary and move the activity', async () => {
    const { principalId, sessionId } = await signIn('grow', T0);
    let doc = await expectSummaryRight(principalId);
    expect(doc.nameLower).toBe('grow');

    expect(
      await store.addAppSession(
        principalId,
        sessionId,
        await rev(principalId),
        appSession('shop', T0 + 10),
        T0 + 10,
        T0,
      ),
    ).toBe(true);
    // A second app session of the same app on the same session adds nothing to the summary.
    expect(
      await store.addAppSession(
        principalId,
        sessionId,
        await rev(principalId),
        appSession('shop', T0 + 20),
        T0 + 20,
        T0,
      ),
    ).toBe(true);
    await expectSummaryRight(principalId);

    await store.touchSession(principalId, sessionId, await rev(principalId), T0 + 50_000, T0);
    doc = await expectSummaryRight(principalId);
    expect(doc.lastActivityAt).toEqual(new Date(T0 + 50_000));
    expect(doc.liveUntil).toEqual(new Date(T0 + 50_000 + timeouts.idleTimeoutMs));

    // Near the absolute lifetime the access cannot push liveUntil past it.
    const late = T0 + timeouts.absoluteLifetimeMs - 10;
    expect(
      await store.applyAttributeWrites({
        principalId,
        sessionId,
        expectedRev: await rev(principalId),
        changes: [],
        sharedRev: 1,
        privateRev: { clientId: 'shop', rev: 0 },
        accessedAt: late,
        sessionCreatedAt: T0,
      }),
    ).toBe(true);
    doc = await expectSummaryRight(principalId);
    expect(doc.liveUntil).toEqual(new Date(T0 + timeouts.absoluteLifetimeMs));
    expect(doc.lastActivityAt).toEqual(new Date(late));
  });

  it('a redeemed code joins the app to the summary', async () => {
    const { principalId, sessionId } = await signIn('redeem', T0);
    const code = {
      id: id('C').slice(0, 16),
      validatorHash: 'v',
      clientId: 'portal',
      redirectUri: 'https://portal.r.test/cb',
      codeChallenge: 'x',
      issuedAt: T0,
      expiresAt: T0 + 60_000,
    };
    expect(
      await store.addAuthorizationCode(principalId, sessionId, await rev(principalId), code, []),
    ).toBe(true);
    expect(
      await store.redeemAuthorizationCode(
        principalId,
        sessionId,
        await rev(principalId),
        code.id,
        T0 + 5,
        appSession('portal', T0 + 5),
        T0,
      ),
    ).toBe(true);
    const doc = await expectSummaryRight(principalId);
    expect(doc.sessionApps).toEqual([{ s: sessionId, c: 'portal' }]);
  });

  it('ends, evictions, app removals and removals shrink it; a late touch of an ended session does not grow it back', async () => {
    const { principalId, sessionId: first } = await signIn('shrink', T0);
    const joined = appSession('shop', T0 + 1);
    await store.addAppSession(principalId, first, await rev(principalId), joined, T0 + 1, T0);
    const second = newSession(T0 + 1000);
    expect(await store.addSession(principalId, await rev(principalId), second)).toBe(true);
    await store.addAppSession(
      principalId,
      second.id,
      await rev(principalId),
      appSession('portal', T0 + 1001),
      T0 + 1001,
      second.createdAt,
    );
    await expectSummaryRight(principalId);

    // The app leaves the first session (a replayed code's app session is removed).
    expect(
      await store.removeAppSession(principalId, first, await rev(principalId), joined.handleId),
    ).toBe(true);
    await expectSummaryRight(principalId);

    // A third sign-in evicts the first session in the same write.
    const third = newSession(T0 + 2000);
    expect(
      await store.addSession(principalId, await rev(principalId), third, {
        end: { sessionIds: [first], endedAt: T0 + 2000, cause: 'evicted' },
      }),
    ).toBe(true);
    let doc = await expectSummaryRight(principalId);
    expect(doc.openSessions).toBe(2);

    expect(
      await store.endSessions(await current(principalId), [third.id], T0 + 3000, 'admin'),
    ).toBeDefined();
    doc = await expectSummaryRight(principalId);
    expect(doc.liveUntil).toEqual(new Date(T0 + 1001 + timeouts.idleTimeoutMs));

    await store.touchSession(
      principalId,
      third.id,
      await rev(principalId),
      T0 + 90_000,
      third.createdAt,
    );
    doc = await expectSummaryRight(principalId);
    expect(doc.lastActivityAt.getTime()).toBeLessThan(T0 + 90_000);

    expect(await store.removeSessions(await current(principalId), [first, third.id])).toBeDefined();
    doc = await expectSummaryRight(principalId);
    expect(doc.openSessions).toBe(1);

    // The sweeper's end (expiry) of the last one leaves nothing live.
    expect(
      await store.endSessions(
        await current(principalId),
        [second.id],
        T0 + 200_000,
        'idle-timeout',
      ),
    ).toBeDefined();
    doc = await expectSummaryRight(principalId);
    expect(doc.liveUntil).toBeUndefined();
    expect(doc.sessionApps).toEqual([]);
  });

  it('a write whose summary comes from a copy fails after a touch, and the retry keeps the touch', async () => {
    const { principalId, sessionId } = await signIn('touch-race', T0);
    const other = newSession(T0 + 5);
    expect(await store.addSession(principalId, await rev(principalId), other)).toBe(true);
    const copy = await current(principalId);
    // Another request touches the other session meanwhile; a touch moves no revision.
    await store.touchSession(
      principalId,
      other.id,
      copy.principal.rev,
      T0 + 50_000,
      other.createdAt,
    );
    expect(await store.endSessions(copy, [sessionId], T0 + 50_001, 'logout')).toBeUndefined();
    expect(await store.removeSessions(copy, [sessionId])).toBeUndefined();
    expect(
      await store.endSessions(await current(principalId), [sessionId], T0 + 50_001, 'logout'),
    ).toBeDefined();
    const doc = await expectSummaryRight(principalId);
    expect(doc.liveUntil).toEqual(new Date(T0 + 50_000 + timeouts.idleTimeoutMs));
  });

  it('a compare-and-set on a stale revision writes no summary either', async () => {
    const { principalId, sessionId } = await signIn('stale', T0);
    const stale = await current(principalId);
    await store.addAppSession(
      principalId,
      sessionId,
      stale.principal.rev,
      appSession('shop', T0 + 1),
      T0 + 1,
      T0,
    );
    expect(await store.endSessions(stale, [sessionId], T0 + 2, 'admin')).toBeUndefined();
    expect(await store.removeSessions(stale, [sessionId])).toBeUndefined();
    const doc = await expectSummaryRight(principalId);
    expect(doc.openSessions).toBe(1);
  });

  it('fills in the summary of documents written before it existed', async () => {
    const { principalId } = await signIn('legacy', T0, { name: 'Léa Legacy' });
    await principals.updateOne(
      { _id: principalId as never },
      { $unset: { openSessions: '', liveUntil: '', sessionApps: '', nameLower: '' } },
    );
    expect(await (store as MongoPrincipalStore).backfillSummaries()).toBe(1);
    const doc = await expectSummaryRight(principalId);
    expect(doc.nameLower).toBe('léa legacy');
    expect(await (store as MongoPrincipalStore).backfillSummaries()).toBe(0);
  });

  describe('the online list', () => {
    const realm = 'online';
    const now = T0 + 500;
    const ids: string[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 7; i++) {
        const subject = `user:${i}`;
        const { principal } = await store.findOrCreatePrincipal({
          newId: id('P'),
          realm,
          subject,
          now: T0,
        });
        const session = newSession(T0 + (i % 3) * 10);
        await store.addSession(principal.id, principal.rev, session, {
          profile: { name: `Name ${i}` },
        });
        const clientId = i % 2 === 0 ? 'shop' : 'portal';
        await store.addAppSession(
          principal.id,
          session.id,
          await rev(principal.id),
          appSession(clientId, T0),
          T0 + (i % 3) * 10,
          session.createdAt,
        );
        ids.push(principal.id);
      }
      // One ended: not online.
      const last = await current(ids[6]);
      await store.endSessions(last, [...last.sessions.keys()], T0 + 100, 'admin');
    });

    it('pages newest activity first without gaps or repeats, with a total', async () => {
      const seen: string[] = [];
      let after;
      for (;;) {
        const page = await online.list({ realm }, now, 2, after);
        seen.push(...page.map((r) => r.principal.id));
        if (page.length < 2) break;
        const last = page[page.length - 1];
        after = { lastActivityAt: last.lastActivityAt, principalId: last.principal.id };
      }
      expect(seen).toHaveLength(6);
      expect(new Set(seen).size).toBe(6);
      expect(seen).not.toContain(ids[6]);
      const all = await online.list({ realm }, now, 10);
      expect(all.map((r) => r.principal.id)).toEqual(seen);
      const times = all.map((r) => r.lastActivityAt);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(await online.count({ realm }, now)).toBe(6);
      // Past every expiry nobody is online.
      expect(await online.count({ realm }, T0 + timeouts.idleTimeoutMs + 100)).toBe(0);
    });

    it('filters by app, subject prefix and name prefix, literally', async () => {
      expect(await online.count({ realm, clientId: 'shop' }, now)).toBe(3);
      expect(await online.count({ realm, clientId: 'portal' }, now)).toBe(3);
      expect(await online.count({ realm, subjectPrefix: 'user:1' }, now)).toBe(1);
      expect(await online.count({ realm, subjectPrefix: 'user' }, now)).toBe(6);
      expect(await online.count({ realm, subjectPrefix: 'user:.' }, now)).toBe(0);
      expect(await online.count({ realm, subjectPrefix: '.*' }, now)).toBe(0);
      expect(await online.count({ realm, namePrefix: 'nAmE 2' }, now)).toBe(1);
      expect(await online.count({ realm, namePrefix: 'name (' }, now)).toBe(0);
      await expect(
        online.count({ realm, subjectPrefix: { $ne: 'x' } as never }, now),
      ).rejects.toThrow(TypeError);
    });

    it('counts live principals, open sessions and sessions per app', async () => {
      const totals = await online.totals(now);
      // Exactly what the other tests of this file left live at `now`.
      const live = await online.list({}, now, 1000);
      expect(totals.onlinePrincipals).toBe(live.length);
      expect(totals.openSessions).toBe(
        live.reduce(
          (sum, r) => sum + summarizeSessions(r.sessions.values(), timeouts).openSessions,
          0,
        ),
      );
      expect(totals.openSessionsByApp.shop).toBeGreaterThanOrEqual(3);
      expect(totals.openSessionsByApp.portal).toBeGreaterThanOrEqual(3);
      const later = await online.totals(T0 + 10 * timeouts.absoluteLifetimeMs);
      expect(later).toEqual({ onlinePrincipals: 0, openSessions: 0, openSessionsByApp: {} });
    });
  });
});
