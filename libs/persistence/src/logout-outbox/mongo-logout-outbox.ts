import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type {
  DeliveryDecision,
  DeliveryState,
  LeasedNotification,
  LogoutNotification,
  NotificationStatus,
} from '@tessera/core';
import { DELIVERY_STATES, LogoutOutbox } from '@tessera/core';
import { Model } from 'mongoose';
import { WriteGuard } from '../write-guard/write-guard';
import { settledFields, toLeased, toStatus } from './outbox-entry.mapper';
import type { OutboxEntryDocument } from './outbox-entry.schema';
import { OUTBOX_ENTRY_MODEL } from './outbox-entry.schema';

const DUPLICATE_KEY = 11000;

/**
 * The outbox in the `logout_outbox` collection. Every change of an entry after its insert is a
 * compare-and-set on `version` through the write guard: on FerretDB 1.x a conditional update
 * is not atomic, so two instances could otherwise both lease one entry (docs/store-layout.md,
 * "Write claims"). Guard keys are prefixed so they never meet a principal id.
 */
@Injectable()
export class MongoLogoutOutbox extends LogoutOutbox implements OnModuleInit {
  constructor(
    @InjectModel(OUTBOX_ENTRY_MODEL) private readonly entries: Model<OutboxEntryDocument>,
    private readonly writeGuard: WriteGuard,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.entries.init();
  }

  /** One insert per notification; an id already there (a repeated completion) is left alone. */
  async record(notifications: readonly LogoutNotification[]): Promise<void> {
    for (const n of notifications) {
      try {
        await this.entries.create({
          _id: n.id,
          realm: n.realm,
          clientId: n.clientId,
          backchannelLogoutUri: n.backchannelLogoutUri,
          sessionId: n.sessionId,
          subject: n.subject,
          cause: n.cause,
          createdAt: new Date(n.createdAt),
          deadline: new Date(n.deadline),
          state: 'pending',
          attempts: 0,
          nextAttemptAt: new Date(n.createdAt),
          version: 0,
        });
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    }
  }

  async leaseDue(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<LeasedNotification[]> {
    if (limit <= 0) return [];
    const at = new Date(now);
    const candidates = await this.entries
      .find({
        state: 'pending',
        nextAttemptAt: { $lte: at },
        // A lease past its time belongs to an instance that died (or stalled): take it over.
        $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lte: at } }],
      })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<OutboxEntryDocument[]>()
      .exec();
    const leaseUntil = new Date(now + leaseMs);
    // Entries are guarded one by one and independently, so their leases are taken concurrently:
    // the round trips overlap instead of adding up. An entry lost to another instance is skipped.
    const attempts = candidates.slice(0, limit).map(async (doc) => {
      const leased = await this.guarded(doc._id, doc.version, {
        $set: { leaseOwner: owner, leaseUntil, version: doc.version + 1 },
      });
      return leased ? toLeased(doc, leaseUntil) : undefined;
    });
    return (await Promise.all(attempts)).filter((entry) => entry !== undefined);
  }

  settle(leased: LeasedNotification, owner: string, decision: DeliveryDecision): Promise<boolean> {
    return this.guarded(
      leased.notification.id,
      leased.version,
      {
        $set: { ...settledFields(decision), version: leased.version + 1 },
        $unset: { leaseOwner: 1, leaseUntil: 1 },
      },
      owner,
    );
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

  /** A compare-and-set on `version` (and on the lease owner, when given), under the write guard. */
  private guarded(
    id: string,
    version: number,
    update: Record<string, unknown>,
    owner?: string,
  ): Promise<boolean> {
    return this.writeGuard.guard(`logout_outbox:${id}`, version, async () => {
      const filter = {
        _id: { $eq: id },
        version: { $eq: version },
        ...(owner === undefined ? {} : { leaseOwner: { $eq: owner } }),
      };
      const result = await this.entries.updateOne(filter, update).exec();
      return result.matchedCount === 1;
    });
  }
}
