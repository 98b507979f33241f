import { getConnectionToken } from '@nestjs/mongoose';
import { ManualClock, PrincipalStore, SweepExpiredSessions } from '@tessera/core';
import type { Connection } from 'mongoose';
import { ExpirySweeper } from '../apps/sso-server/src/sweeper/expiry-sweeper';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const MINUTE = 60_000;

/** The service's own expiry sweeper: ends expired sessions with the same fan-out as a logout. */
describe('expiry sweeper (real service, real database)', () => {
  const clock = new ManualClock();
  let service: TestService;
  let db: Connection;

  beforeAll(async () => {
    service = await startTestService({
      clock,
      apps: [
        {
          clientId: 'shop',
          secret: 'shop-secret',
          backchannelLogoutUri: 'http://shop.example.test/bc',
        },
        {
          clientId: 'portal',
          secret: 'portal-secret',
          backchannelLogoutUri: 'http://portal.example.test/bc',
        },
      ],
      env: {
        TESSERA_IDLE_TIMEOUT_SECONDS: '600',
        TESSERA_ABSOLUTE_LIFETIME_SECONDS: '3600',
        // Runs are driven by the test, not the timer.
        TESSERA_SWEEP_INTERVAL_SECONDS: '0',
        TESSERA_SWEEP_BATCH_SIZE: '2',
      },
    });
    db = service.app.get<Connection>(getConnectionToken());
  });

  afterAll(() => service.close());

  const outboxOf = (sessionId: string) =>
    db.collection('logout_outbox').find({ sessionId }).sort({ clientId: 1 }).toArray();
  const principalDoc = (id: string) => db.collection('principals').findOne({ _id: id as never });

  /** Ends whatever earlier tests left, so each test counts only its own sessions. */
  async function sweptClean() {
    clock.advance(2 * 60 * MINUTE);
    await service.app.get(ExpirySweeper).runOnce();
    expect(await db.collection('principals').countDocuments()).toBe(0);
  }

  async function signedIn(subject: string) {
    const sso = await service.signIn(subject);
    await service.joinApp(sso, 'shop');
    await service.joinApp(sso, 'portal');
    return sso;
  }

  /** Keeps a session busy (not idle) by touching it through the store, as reads do. */
  async function touch(sso: { principalId: string; sessionId: string }) {
    const store = service.app.get(PrincipalStore);
    const { principal } = (await store.loadSession(sso.principalId, sso.sessionId))!;
    await store.touchSession(sso.principalId, sso.sessionId, principal.rev, clock.now());
  }

  it('ends idle- and absolute-expired sessions, notifies their apps, removes their data and empty documents, and leaves live ones alone', async () => {
    const idle = await signedIn('idle-user');
    const busy = await signedIn('busy-user');
    const keeper = await signedIn('keeper');
    // Nothing is due yet.
    expect(await service.app.get(ExpirySweeper).runOnce()).toBe(0);

    // busy-user stays active for longer than its absolute lifetime; keeper signs in again late.
    for (let t = 0; t < 7; t++) {
      clock.advance(9 * MINUTE);
      await touch(busy);
      await touch(keeper);
    }
    clock.advance(MINUTE); // 64 minutes after sign-in: busy past absolute, idle long idle
    const late = await service.signIn('keeper');

    expect(await service.app.get(ExpirySweeper).runOnce()).toBe(3);

    expect((await outboxOf(idle.sessionId)).map((e) => [e.clientId, e.cause])).toEqual([
      ['portal', 'idle-timeout'],
      ['shop', 'idle-timeout'],
    ]);
    expect((await outboxOf(busy.sessionId)).map((e) => [e.clientId, e.cause])).toEqual([
      ['portal', 'absolute-timeout'],
      ['shop', 'absolute-timeout'],
    ]);
    // Emptied documents are gone.
    expect(await principalDoc(idle.principalId)).toBeNull();
    expect(await principalDoc(busy.principalId)).toBeNull();
    // keeper's old session ended (absolute), its new one is left alone and scheduled.
    const kept = await principalDoc(keeper.principalId);
    expect(Object.keys(kept!.sessions as object)).toEqual([late.sessionId]);
    expect(kept!.sweepAfter).toEqual(new Date(clock.now() + 10 * MINUTE));
    expect(await outboxOf(late.sessionId)).toEqual([]);

    // A second run finds nothing to do.
    expect(await service.app.get(ExpirySweeper).runOnce()).toBe(0);
  });

  it('moves sweepAfter to the next true expiry when touches pushed it later', async () => {
    await sweptClean();
    const sso = await signedIn('toucher');
    clock.advance(8 * MINUTE);
    await touch(sso);
    clock.advance(2 * MINUTE); // the first lower bound has passed, the session is still live
    expect(await service.app.get(ExpirySweeper).runOnce()).toBe(0);
    const doc = await principalDoc(sso.principalId);
    expect(doc!.sweepAfter).toEqual(new Date(clock.now() + 8 * MINUTE));
    expect(Object.keys(doc!.sessions as object)).toEqual([sso.sessionId]);
  });

  it('two sweepers at once end each session once and record each notification once', async () => {
    await sweptClean();
    const sessions = [];
    for (let i = 0; i < 5; i++) sessions.push(await signedIn(`pair-${i}`));
    clock.advance(11 * MINUTE);
    const sweep = service.app.get(SweepExpiredSessions);
    const outcomes = await Promise.all([sweep.execute(10), sweep.execute(10)]);
    expect(outcomes.flatMap((o) => o.errors)).toEqual([]);
    expect(outcomes[0].ended + outcomes[1].ended).toBe(5);
    for (const sso of sessions) {
      const entries = await outboxOf(sso.sessionId);
      expect(entries.map((e) => e.clientId)).toEqual(['portal', 'shop']);
      expect(await principalDoc(sso.principalId)).toBeNull();
    }
    expect(
      await db
        .collection('principals')
        .countDocuments({ sweepAfter: { $lte: new Date(clock.now()) } }),
    ).toBe(0);
  });
});
