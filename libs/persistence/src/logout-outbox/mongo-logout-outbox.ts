import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type {
  DeliveryState,
  FirstAttemptLease,
  LeasedNotification,
  LogoutNotification,
  NotificationStatus,
  Settlement,
} from '@tessera/core';
import { DELIVERY_STATES, LogoutOutbox } from '@tessera/core';
import { Model } from 'mongoose';
import { insertNew } from '../duplicate-key';
import type { DeliveryLeaseDocument } from './delivery-lease.schema';
import { DELIVERY_LEASE_MODEL } from './delivery-lease.schema';
import { DeliveryLeases } from './delivery-leases';
import { settledFields, toLeased, toNewEntry, toStatus } from './outbox-entry.mapper';
import type { OutboxEntryDocument } from './outbox-entry.schema';
import { OUTBOX_ENTRY_MODEL } from './outbox-entry.schema';

/**
 * Leases and `done` markers are kept this long after they end: far longer than any instance
 * takes between reading an entry and leasing it, which is all they guard against.
 */
const LEASE_RECORD_KEPT_MS = 60 * 60 * 1000;
/**
 * Updates per bulk write. FerretDB 1.24 never answers an update command of 100 statements or
 * more (seen here: 99 take 0.1 s, 100 hang), so larger batches go in several writes.
 */
const MAX_BULK_UPDATES = 50;
/** Due entries read per query while leasing; the ones leased elsewhere are skipped. */
const DUE_PAGE = 200;
/** Pages read in one leasing pass at most (entries being sent elsewhere are passed over). */
const MAX_DUE_PAGES = 5;

/**
 * The outbox in the `logout_outbox` collection, and its leases in `logout_leases`
 * (docs/single-logout.md, "Delivery"). Taking a lease is an insert, never an update: the first
 * attempt's lease goes in with the entry itself, later ones are documents of their own. Only
 * the holder of an entry's live lease ever updates the entry (settle), so its update needs no
 * write guard.
 */
@Injectable()
export class MongoLogoutOutbox extends LogoutOutbox implements OnModuleInit {
  private readonly leases: DeliveryLeases;

  constructor(
    @InjectModel(OUTBOX_ENTRY_MODEL) private readonly entries: Model<OutboxEntryDocument>,
    @InjectModel(DELIVERY_LEASE_MODEL) leases: Model<DeliveryLeaseDocument>,
  ) {
    super();
    this.leases = new DeliveryLeases(leases);
  }

  async onModuleInit(): Promise<void> {
    await this.entries.init();
  }

  /**
   * One unordered insert; ids already there (a repeated completion) are left alone. The entries
   * `lease` covers go in with their first attempt leased (generation 0, see DeliveryLeases).
   */
  async record(
    notifications: readonly LogoutNotification[],
    lease?: FirstAttemptLease,
  ): Promise<LogoutNotification[]> {
    const inserted = await insertNew(
      this.entries,
      notifications.map((n) => toNewEntry(n, lease?.ids.has(n.id) ? lease : undefined)),
    );
    const fresh = new Set(inserted.map((entry) => entry._id));
    return notifications.filter((n) => fresh.has(n.id));
  }

  /** Due pending entries, oldest first, paged past those leased elsewhere. */
  async leaseDue(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<LeasedNotification[]> {
    const at = new Date(now);
    const until = new Date(now + leaseMs);
    const leased: LeasedNotification[] = [];
    let after: OutboxEntryDocument | undefined;
    for (let page = 0; page < MAX_DUE_PAGES && leased.length < limit; page++) {
      const due = await this.entries
        .find({ state: 'pending', nextAttemptAt: { $lte: at }, ...keysetAfter(after) })
        .sort({ nextAttemptAt: 1, _id: 1 })
        .limit(DUE_PAGE)
        .lean<OutboxEntryDocument[]>()
        .exec();
      const taken = await this.leases.take(due, owner, now, until, limit - leased.length);
      leased.push(...taken.map((entry) => toLeased(entry, until)));
      if (due.length < DUE_PAGE) break;
      after = due[due.length - 1];
    }
    return leased;
  }

  /**
   * One unordered bulk update by `_id` alone. No compare-and-set is needed: only the holder of
   * an entry's live lease writes it, and the dispatcher settles only well inside its lease. A
   * plain `_id` filter is also what FerretDB looks up directly; any other field makes it scan.
   */
  async settle(
    settlements: readonly Settlement[],
    now: number,
  ): Promise<readonly LeasedNotification[]> {
    if (settlements.length === 0) return [];
    const ids = settlements.map((s) => s.leased.notification.id);
    let matched = 0;
    for (let from = 0; from < settlements.length; from += MAX_BULK_UPDATES) {
      const result = await this.entries.bulkWrite(
        settlements.slice(from, from + MAX_BULK_UPDATES).map((s, i) => ({
          updateOne: {
            filter: { _id: ids[from + i] },
            update: { $set: settledFields(s.decision), $unset: { leaseOwner: 1, leaseUntil: 1 } },
          },
        })),
        { ordered: false },
      );
      matched += result.matchedCount;
    }
    let lost: Settlement[] = [];
    if (matched < settlements.length) {
      // An entry can only be missing if it was pruned meanwhile.
      const present = await this.entries
        .find({ _id: { $in: ids } }, { _id: 1 })
        .lean<Pick<OutboxEntryDocument, '_id'>[]>()
        .exec();
      const found = new Set(present.map((d) => d._id));
      lost = settlements.filter((_, i) => !found.has(ids[i]));
    }
    await this.leases.close(
      settlements.map((s) => ({ entryId: s.leased.notification.id, attempt: s.leased.attempts })),
      now,
    );
    return lost.map((s) => s.leased);
  }

  async prune(now: number, settledBefore: number): Promise<{ leases: number; entries: number }> {
    const leases = await this.leases.prune(now - LEASE_RECORD_KEPT_MS);
    const { deletedCount } = await this.entries
      .deleteMany({
        state: { $in: ['delivered', 'given_up'] },
        createdAt: { $lt: new Date(settledBefore) },
      })
      .exec();
    return { leases, entries: deletedCount };
  }

  async statusOfSessions(sessionIds: readonly string[]): Promise<NotificationStatus[]> {
    if (sessionIds.length === 0) return [];
    const docs = await this.entries
      .find({ sessionId: { $in: [...sessionIds] } })
      .sort({ sessionId: 1, clientId: 1 })
      .lean<OutboxEntryDocument[]>()
      .exec();
    return docs.map(toStatus);
  }

  async countByState(): Promise<Record<DeliveryState, number>> {
    const groups = await this.entries
      .aggregate<{ _id: DeliveryState; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }])
      .exec();
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<
      DeliveryState,
      number
    >;
    for (const { _id, n } of groups) if (_id in counts) counts[_id] = n;
    return counts;
  }
}

/** Entries after `last` in the order (nextAttemptAt, _id); nothing for the first page. */
function keysetAfter(last: OutboxEntryDocument | undefined) {
  if (!last) return {};
  return {
    $or: [
      { nextAttemptAt: { $gt: last.nextAttemptAt } },
      { nextAttemptAt: { $eq: last.nextAttemptAt }, _id: { $gt: last._id } },
    ],
  };
}
