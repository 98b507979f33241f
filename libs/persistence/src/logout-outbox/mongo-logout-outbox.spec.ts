import type { LogoutNotification, Settlement } from '@tessera/core';
import { LogoutOutbox } from '@tessera/core';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

const T0 = Date.UTC(2030, 0, 1);
const LEASE_MS = 60_000;

describe('MongoLogoutOutbox leases and outcomes (real database)', () => {
  let persistence: PersistenceUnderTest;
  let outbox: LogoutOutbox;
  let sessions = 0;

  beforeAll(async () => {
    persistence = await startPersistence('outbox');
    outbox = persistence.moduleRef.get(LogoutOutbox);
  });

  afterAll(() => persistence.close());

  /** One session's end, fanned out to `apps` apps. */
  function fanOut(apps: number): LogoutNotification[] {
    const sessionId = `S${String(++sessions).padStart(21, '0')}`;
    return Array.from({ length: apps }, (_, i) => ({
      id: `${sessionId}:app-${i}`,
      realm: 'example',
      clientId: `app-${i}`,
      backchannelLogoutUri: `https://app-${i}.example.test/bc`,
      sessionId,
      subject: 'local:ada',
      cause: 'logout',
      createdAt: T0,
      deadline: T0 + 3_600_000,
    }));
  }

  const delivered = (leased: Settlement['leased']): Settlement => ({
    leased,
    decision: { state: 'delivered', attempts: leased.attempts + 1, deliveredAt: T0 + 1000 },
  });

  it('records each notification once and answers only the new ones', async () => {
    const notifications = fanOut(3);
    expect(await outbox.record(notifications)).toHaveLength(3);
    expect(await outbox.record([...notifications, ...fanOut(1)])).toHaveLength(1);
  });

  it('lets one instance lease an attempt; another gets it only after the lease has run out', async () => {
    const notifications = fanOut(2);
    await outbox.record(notifications);
    const first = await outbox.leaseRecorded(notifications, 'instance-a', T0, LEASE_MS);
    expect(first).toHaveLength(2);
    expect(await outbox.leaseRecorded(notifications, 'instance-b', T0, LEASE_MS)).toEqual([]);
    const ids = new Set(notifications.map((n) => n.id));
    const dueFor = async (owner: string, now: number) =>
      (await outbox.leaseDue(owner, now, LEASE_MS, 500)).filter((l) => ids.has(l.notification.id));
    expect(await dueFor('instance-b', T0 + 1000)).toEqual([]);
    // Instance a died: after its lease, b takes the entries over with the next generation.
    const takenOver = await dueFor('instance-b', T0 + LEASE_MS + 1);
    expect(takenOver.map((l) => l.leaseId).sort()).toEqual(
      notifications.map((n) => `${n.id}:0:1`).sort(),
    );
  });

  it('never leases an attempt again once its outcome is recorded, even from a stale read', async () => {
    const notifications = fanOut(1);
    await outbox.record(notifications);
    const [leased] = await outbox.leaseRecorded(notifications, 'instance-a', T0, LEASE_MS);
    // A retry is due at once, so the entry stays pending with attempts 1.
    const retry: Settlement = {
      leased,
      decision: { state: 'pending', attempts: 1, nextAttemptAt: T0, lastError: 'HTTP 500' },
    };
    expect(await outbox.settle([retry], T0 + 100)).toEqual([]);
    // An instance that read the entry before the record still sees attempt 0: refused.
    expect(
      await outbox.leaseRecorded(notifications, 'instance-b', T0 + LEASE_MS * 2, LEASE_MS),
    ).toEqual([]);
    // The next attempt is leased normally.
    const next = (await outbox.leaseDue('instance-b', T0 + 200, LEASE_MS, 500)).find(
      (l) => l.notification.id === notifications[0].id,
    );
    expect(next).toMatchObject({ attempts: 1, leaseId: `${notifications[0].id}:1:0` });
  });

  it('records the outcomes of a fan-out to 120 apps in one call', async () => {
    // FerretDB 1.24 never answers an update command of 100 statements or more.
    const notifications = fanOut(120);
    await outbox.record(notifications);
    const leased = await outbox.leaseRecorded(notifications, 'instance-a', T0, LEASE_MS);
    expect(leased).toHaveLength(120);
    expect(await outbox.settle(leased.map(delivered), T0 + 1000)).toEqual([]);
    const states = await outbox.statusOfSessions([notifications[0].sessionId]);
    expect(states).toHaveLength(120);
    expect(states.every((s) => s.state === 'delivered' && s.attempts === 1)).toBe(true);
  }, 30_000);

  it('prunes settled entries past their retention and leases long over, nothing else', async () => {
    const old = fanOut(1);
    await outbox.record(old);
    const [leased] = await outbox.leaseRecorded(old, 'instance-a', T0, LEASE_MS);
    await outbox.settle([delivered(leased)], T0 + 1000);
    const pending = fanOut(1);
    await outbox.record(pending);
    const pruned = await outbox.prune(T0 + 2 * 3_600_000, T0 + 1);
    expect(pruned.entries).toBeGreaterThanOrEqual(1);
    expect(pruned.leases).toBeGreaterThanOrEqual(2); // the lease and its `done` marker
    expect(await outbox.statusOfSessions([old[0].sessionId])).toEqual([]);
    expect(await outbox.statusOfSessions([pending[0].sessionId])).toHaveLength(1);
  });
});
