import { getModelToken } from '@nestjs/mongoose';
import type {
  FirstAttemptLease,
  LeasedNotification,
  LogoutNotification,
  Settlement,
} from '@tessera/core';
import { LogoutOutbox } from '@tessera/core';
import { DELIVERY_LEASE_MODEL } from './delivery-lease.schema';
import { DeliveryLeases } from './delivery-leases';
import type { OutboxEntryDocument } from './outbox-entry.schema';
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

  /** The lease an instance offers when it records `covered` itself. */
  const leaseTo = (owner: string, covered: readonly LogoutNotification[]): FirstAttemptLease => ({
    owner,
    until: T0 + LEASE_MS,
    ids: new Set(covered.map((n) => n.id)),
  });

  /** What the recording instance holds of a notification it recorded under its lease. */
  const firstAttempt = (notification: LogoutNotification): LeasedNotification => ({
    notification,
    attempts: 0,
    leaseUntil: T0 + LEASE_MS,
  });

  const entries = () => persistence.connection.collection<OutboxEntryDocument>('logout_outbox');

  /** The `_id`s of the lease documents (and `done` markers) of these notifications, sorted. */
  const leaseIdsOf = async (notifications: readonly LogoutNotification[]) =>
    (
      await persistence.connection
        .collection<{ _id: string }>('logout_leases')
        .find({ entryId: { $in: notifications.map((n) => n.id) } })
        .toArray()
    )
      .map((l) => l._id)
      .sort();

  const delivered = (leased: Settlement['leased']): Settlement => ({
    leased,
    decision: { state: 'delivered', attempts: leased.attempts + 1, deliveredAt: T0 + 1000 },
  });

  it('records each notification once and answers only the new ones', async () => {
    const notifications = fanOut(3);
    expect(await outbox.record(notifications)).toHaveLength(3);
    expect(await outbox.record([...notifications, ...fanOut(1)])).toHaveLength(1);
  });

  it('leases the first attempt in the recording insert; another instance gets it only after the lease has run out', async () => {
    const notifications = fanOut(3);
    const covered = notifications.slice(0, 2);
    expect(await outbox.record(notifications, leaseTo('instance-a', covered))).toHaveLength(3);
    // Recording again (another instance completing the same end) neither records nor leases.
    expect(await outbox.record(notifications, leaseTo('instance-b', notifications))).toEqual([]);
    const ids = new Set(notifications.map((n) => n.id));
    const dueFor = async (owner: string, now: number) =>
      (await outbox.leaseDue(owner, now, LEASE_MS, 500)).filter((l) => ids.has(l.notification.id));
    // The one the lease did not cover is free at once.
    expect((await dueFor('instance-b', T0 + 1000)).map((l) => l.notification.id)).toEqual([
      notifications[2].id,
    ]);
    // Instance a died: after its lease, b takes the two over with the next generation.
    const takenOver = await dueFor('instance-c', T0 + LEASE_MS + 1);
    expect(takenOver.map((l) => l.notification.id).sort()).toEqual(covered.map((n) => n.id).sort());
    expect(await leaseIdsOf(covered)).toEqual(covered.map((n) => `${n.id}:0:1`).sort());
  });

  it('never leases an attempt again once its outcome is recorded, even from a stale read', async () => {
    const notifications = fanOut(1);
    await outbox.record(notifications, leaseTo('instance-a', notifications));
    const entryBefore = await entries().findOne({ _id: notifications[0].id });
    // A retry is due at once, so the entry stays pending with attempts 1.
    const retry: Settlement = {
      leased: firstAttempt(notifications[0]),
      decision: { state: 'pending', attempts: 1, nextAttemptAt: T0, lastError: 'HTTP 500' },
    };
    expect(await outbox.settle([retry], T0 + 100)).toEqual([]);
    // An instance that read the entry before the record still sees attempt 0, its lease long
    // over: the attempt's done marker refuses it.
    const leases = new DeliveryLeases(
      persistence.moduleRef.get(getModelToken(DELIVERY_LEASE_MODEL)),
    );
    const until = new Date(T0 + LEASE_MS * 3);
    expect(await leases.take([entryBefore!], 'instance-b', T0 + LEASE_MS * 2, until, 1)).toEqual(
      [],
    );
    // The next attempt is leased normally.
    const next = (await outbox.leaseDue('instance-b', T0 + 200, LEASE_MS, 500)).find(
      (l) => l.notification.id === notifications[0].id,
    );
    expect(next).toMatchObject({ attempts: 1 });
    expect(await leaseIdsOf(notifications)).toEqual([
      `${notifications[0].id}:0:done`,
      `${notifications[0].id}:1:0`,
    ]);
  });

  it('records the outcomes of a fan-out to 120 apps in one call', async () => {
    // FerretDB 1.24 never answers an update command of 100 statements or more.
    const notifications = fanOut(120);
    await outbox.record(notifications, leaseTo('instance-a', notifications));
    const leased = notifications.map(firstAttempt);
    expect(await outbox.settle(leased.map(delivered), T0 + 1000)).toEqual([]);
    const states = await outbox.statusOfSessions([notifications[0].sessionId]);
    expect(states).toHaveLength(120);
    expect(states.every((s) => s.state === 'delivered' && s.attempts === 1)).toBe(true);
  }, 30_000);

  it('prunes settled entries past their retention and leases long over, nothing else', async () => {
    const old = fanOut(1);
    await outbox.record(old, leaseTo('instance-a', old));
    await outbox.settle([delivered(firstAttempt(old[0]))], T0 + 1000);
    const pending = fanOut(1);
    await outbox.record(pending);
    const pruned = await outbox.prune(T0 + 2 * 3_600_000, T0 + 1);
    expect(pruned.entries).toBeGreaterThanOrEqual(1);
    expect(pruned.leases).toBeGreaterThanOrEqual(1); // the attempt's `done` marker
    expect(await outbox.statusOfSessions([old[0].sessionId])).toEqual([]);
    expect(await outbox.statusOfSessions([pending[0].sessionId])).toHaveLength(1);
  });
});
