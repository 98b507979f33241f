import { getConnectionToken } from '@nestjs/mongoose';
import { ManualClock, PrincipalStore, TooManySessions } from '@tessera/core';
import type { Connection } from 'mongoose';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const APPS = [
  { clientId: 'shop', secret: 'shop-secret', backchannelLogoutUri: 'http://shop.example.test/bc' },
  {
    clientId: 'portal',
    secret: 'portal-secret',
    backchannelLogoutUri: 'http://portal.example.test/bc',
  },
];

/** Concurrent-session policies per realm, decided atomically with the sign-in's own write. */
describe('concurrent-session policies (real service, real database)', () => {
  const clock = new ManualClock();
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      clock,
      apps: [
        ...APPS,
        { clientId: 'fifo', secret: 'fifo-secret', realm: 'fifo' },
        { clientId: 'strict', secret: 'strict-secret', realm: 'strict' },
        { clientId: 'solo', secret: 'solo-secret', realm: 'solo' },
        { clientId: 'last', secret: 'last-secret', realm: 'last' },
        { clientId: 'open', secret: 'open-secret', realm: 'open' },
      ],
      sessionPolicies: {
        fifo: { maxSessions: 2, strategy: 'invalidate-before' },
        strict: { maxSessions: 2, strategy: 'invalidate-after' },
        solo: { maxSessions: 1, strategy: 'invalidate-after' },
        last: { maxSessions: 1, strategy: 'invalidate-before' },
        open: { maxSessions: 1, strategy: 'allow' },
      },
      env: { TESSERA_SWEEP_INTERVAL_SECONDS: '0' },
    });
  });

  afterAll(() => service.close());

  const signIn = (realm: string, subject: string) => service.signIn(subject, { realm });
  const liveSessionsOf = async (principalId: string) => {
    const loaded = await service.app.get(PrincipalStore).loadPrincipal(principalId);
    return [...(loaded?.sessions.values() ?? [])].filter((s) => s.endedAt === undefined);
  };
  it('without a policy, sign-ins are not limited', async () => {
    const sessions = [];
    for (let i = 0; i < 4; i++) sessions.push(await signIn('example', 'many'));
    expect(await liveSessionsOf(sessions[0].principalId)).toHaveLength(4);
  });

  it('allow: the limit is only advisory', async () => {
    const first = await signIn('open', 'relaxed');
    await signIn('open', 'relaxed');
    expect(await liveSessionsOf(first.principalId)).toHaveLength(2);
  });

  it('invalidate-before: ends the oldest session, notifies its apps and removes it', async () => {
    const oldest = await signIn('fifo', 'ada');
    clock.advance(1000);
    const middle = await signIn('fifo', 'ada');
    clock.advance(1000);
    // (The notifications of an eviction are checked in the next describe, where apps have URIs.)
    const newest = await signIn('fifo', 'ada');
    expect(newest.evictedSessionIds).toEqual([oldest.sessionId]);
    const live = await liveSessionsOf(newest.principalId);
    expect(live.map((s) => s.id).sort()).toEqual([middle.sessionId, newest.sessionId].sort());
    // The evicted session's data is gone, not just marked.
    const loaded = await service.app.get(PrincipalStore).loadPrincipal(newest.principalId);
    expect(loaded!.sessions.has(oldest.sessionId)).toBe(false);
  });

  it('invalidate-after: refuses the new sign-in with a clear error and changes nothing', async () => {
    const a = await signIn('strict', 'grace');
    await signIn('strict', 'grace');
    await expect(signIn('strict', 'grace')).rejects.toThrow(TooManySessions);
    await expect(signIn('strict', 'grace')).rejects.toThrow(/already signed in on 2 devices/);
    expect(await liveSessionsOf(a.principalId)).toHaveLength(2);
  });

  it('invalidate-after: an expired session does not count against the limit', async () => {
    const a = await signIn('solo', 'expiring');
    await expect(signIn('solo', 'expiring')).rejects.toThrow(TooManySessions);
    clock.advance(31 * 60_000); // past the default idle timeout
    const b = await signIn('solo', 'expiring');
    expect(b.principalId).toBe(a.principalId);
  });

  it('invalidate-after: of two sign-ins racing at the limit, exactly one succeeds', async () => {
    const outcomes = await Promise.allSettled([signIn('solo', 'racer'), signIn('solo', 'racer')]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ reason: expect.any(TooManySessions) });
    const { principalId } = (won[0] as PromiseFulfilledResult<{ principalId: string }>).value;
    expect(await liveSessionsOf(principalId)).toHaveLength(1);
  });

  it('invalidate-before: of two sign-ins racing at the limit, one stays live and the other is evicted and notified', async () => {
    // (Notifications of racing evictions are checked below, where the apps have back-channel URIs.)
    const first = await signIn('last', 'duel');
    const racing = await Promise.all([signIn('last', 'duel'), signIn('last', 'duel')]);
    const live = await liveSessionsOf(first.principalId);
    expect(live).toHaveLength(1);
    const evicted = racing.flatMap((r) => r.evictedSessionIds);
    // The first session and the one racer that lost: both ended with 'evicted'.
    expect(evicted).toHaveLength(2);
    expect(evicted).toContain(first.sessionId);
    const liveId = live[0].id;
    expect(racing.map((r) => r.sessionId)).toContain(liveId);
    expect(evicted).not.toContain(liveId);
  });
});

/** Eviction fans out like any other end: the evicted session's apps are in the outbox. */
describe('eviction notifies the apps of the evicted session', () => {
  let service: TestService;
  let db: Connection;

  beforeAll(async () => {
    service = await startTestService({
      apps: APPS,
      sessionPolicies: { example: { maxSessions: 1, strategy: 'invalidate-before' } },
      env: { TESSERA_SWEEP_INTERVAL_SECONDS: '0' },
    });
    db = service.app.get<Connection>(getConnectionToken());
  });

  afterAll(() => service.close());

  const outboxOf = (sessionId: string) =>
    db.collection('logout_outbox').find({ sessionId }).sort({ clientId: 1 }).toArray();

  it('records one evicted notification per joined app, and the evicted tokens stop working', async () => {
    const old = await service.signIn('kim');
    await service.joinApp(old, 'shop');
    await service.joinApp(old, 'portal');
    const fresh = await service.signIn('kim');
    expect(fresh.evictedSessionIds).toEqual([old.sessionId]);
    const entries = await outboxOf(old.sessionId);
    expect(entries.map((e) => [e.clientId, e.cause])).toEqual([
      ['portal', 'evicted'],
      ['shop', 'evicted'],
    ]);
    expect(await outboxOf(fresh.sessionId)).toEqual([]);
  });

  it('two sign-ins racing at the limit: one live session remains, the rest evicted and notified', async () => {
    const old = await service.signIn('lee');
    await service.joinApp(old, 'shop');
    await service.joinApp(old, 'portal');
    const racing = await Promise.all([service.signIn('lee'), service.signIn('lee')]);

    const loaded = (await service.app.get(PrincipalStore).loadPrincipal(old.principalId))!;
    const live = [...loaded.sessions.values()].filter((s) => s.endedAt === undefined);
    expect(live).toHaveLength(1);
    const winner = racing.find((r) => r.sessionId === live[0].id)!;
    const loser = racing.find((r) => r.sessionId !== live[0].id)!;
    // Whichever committed first evicted the old session; the later one evicted it in turn.
    expect(racing.flatMap((r) => r.evictedSessionIds).sort()).toEqual(
      [old.sessionId, loser.sessionId].sort(),
    );
    expect(winner.evictedSessionIds).toContain(loser.sessionId);
    // Ended sessions are completed: removed from the document, their apps' notifications queued.
    expect([...loaded.sessions.keys()]).toEqual([winner.sessionId]);
    expect((await outboxOf(old.sessionId)).map((e) => [e.clientId, e.cause])).toEqual([
      ['portal', 'evicted'],
      ['shop', 'evicted'],
    ]);
  });
});
