import type { AuditEvent } from '@tessera/core';
import { AuditLog } from '@tessera/core';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

const T0 = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;

describe('MongoAuditLog (real database)', () => {
  let persistence: PersistenceUnderTest;
  let log: AuditLog;
  let counter = 0;

  beforeAll(async () => {
    persistence = await startPersistence('audit_log');
    log = persistence.moduleRef.get(AuditLog);
  });

  afterAll(() => persistence.close());

  beforeEach(async () => {
    await persistence.connection.collection('audit_log').deleteMany({});
  });

  function event(overrides: Partial<AuditEvent>): AuditEvent {
    counter++;
    return {
      id: `e${String(counter).padStart(4, '0')}`,
      at: T0 + counter,
      type: 'login.succeeded',
      details: {},
      ...overrides,
    };
  }

  it('keeps every field, and ignores a second event with the same id', async () => {
    const first = event({
      id: 'end:s1',
      type: 'session.ended',
      realm: 'example',
      principalId: 'p'.repeat(22),
      subject: 'local:ada',
      sessionId: 's1',
      clientId: 'shop',
      clientIp: '10.0.0.1',
      details: { cause: 'logout', apps: ['portal', 'shop'], targets: { tokenId: 'x' } },
    });
    await log.record(first);
    await log.record({ ...first, at: first.at + 1, details: { cause: 'admin' } });
    expect((await log.list({ limit: 10 })).events).toEqual([first]);
  });

  it('filters by types, principal, realm + subject and an inclusive time range', async () => {
    const a = event({ type: 'login.failed', realm: 'r', subject: 'local:a', principalId: 'pa' });
    const b = event({ type: 'login.succeeded', realm: 'r', subject: 'local:a', principalId: 'pa' });
    const c = event({ type: 'login.succeeded', realm: 'other', subject: 'local:a' });
    const d = event({ type: 'admin.action' });
    for (const e of [a, b, c, d]) await log.record(e);
    const ids = async (query: Parameters<AuditLog['list']>[0]) =>
      (await log.list(query)).events.map((e) => e.id);
    expect(await ids({ limit: 10 })).toEqual([d.id, c.id, b.id, a.id]);
    expect(await ids({ limit: 10, types: ['login.failed', 'admin.action'] })).toEqual([d.id, a.id]);
    expect(await ids({ limit: 10, principalId: 'pa' })).toEqual([b.id, a.id]);
    expect(await ids({ limit: 10, subject: { realm: 'r', subject: 'local:a' } })).toEqual([
      b.id,
      a.id,
    ]);
    expect(await ids({ limit: 10, from: b.at, to: c.at })).toEqual([c.id, b.id]);
    expect(await ids({ limit: 10, principalId: 'pa', types: ['admin.action'] })).toEqual([]);
  });

  it('pages newest first by (at, id) with no gap or repeat when times are equal', async () => {
    for (let i = 0; i < 9; i++) await log.record(event({ id: `same-${i}`, at: T0 }));
    const seen: string[] = [];
    let after: { at: number; id: string } | undefined;
    do {
      const page = await log.list({ limit: 4, after });
      seen.push(...page.events.map((e) => e.id));
      after = page.next;
    } while (after);
    expect(seen).toEqual(Array.from({ length: 9 }, (_, i) => `same-${8 - i}`));
  });

  it('counts sign-ins, failures and session ends by cause since a time', async () => {
    const since = T0 + 10 * MINUTE;
    const at = since + MINUTE;
    await log.record(event({ type: 'login.succeeded', at: since - 1 })); // before the window
    await log.record(event({ type: 'login.succeeded', at }));
    await log.record(event({ type: 'login.succeeded', at: since }));
    await log.record(event({ type: 'login.failed', at }));
    await log.record(event({ type: 'login.throttled', at }));
    await log.record(event({ type: 'session.ended', at, details: { cause: 'logout' } }));
    await log.record(event({ type: 'session.ended', at, details: { cause: 'logout' } }));
    await log.record(event({ type: 'session.ended', at, details: { cause: 'idle-timeout' } }));
    await log.record(event({ type: 'session.ended', at: since - 1, details: { cause: 'admin' } }));
    await log.record(event({ type: 'admin.action', at }));
    expect(await log.countsSince(since)).toEqual({
      signIns: 2,
      failedSignIns: 2,
      sessionsEnded: {
        logout: 2,
        admin: 0,
        'idle-timeout': 1,
        'absolute-timeout': 0,
        evicted: 0,
      },
    });
  });

  it('deletes events older than a time, oldest first and in bounded batches', async () => {
    for (let i = 0; i < 5; i++) await log.record(event({ at: T0 - 1000 + i }));
    const kept = event({ at: T0 });
    await log.record(kept);
    expect(await log.deleteOlderThan(T0, 3)).toBe(3);
    expect(await log.deleteOlderThan(T0, 3)).toBe(2);
    expect(await log.deleteOlderThan(T0, 3)).toBe(0);
    expect((await log.list({ limit: 10 })).events).toEqual([kept]);
  });

  it('has an index for each listing filter and for the counts', async () => {
    const keys = (await persistence.connection.collection('audit_log').indexes()).map((i) => i.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        { at: -1, _id: -1 },
        { principalId: 1, at: -1, _id: -1 },
        { realm: 1, subject: 1, at: -1, _id: -1 },
        { type: 1, at: -1, _id: -1 },
        { type: 1, 'details.cause': 1, at: -1 },
      ]),
    );
  });
});
