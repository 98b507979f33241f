import type { Model } from 'mongoose';
import { insertNew } from '../duplicate-key';
import type { DeliveryLeaseDocument } from './delivery-lease.schema';
import type { OutboxEntryDocument } from './outbox-entry.schema';

/**
 * Leases on outbox entries, taken by inserts only: no entry is updated before it is sent (on
 * FerretDB every update is a read and a rewrite). The first attempt's first lease (generation 0)
 * is written into the entry by the insert that records it (`leaseOwner`, `leaseUntil`); every
 * later one is a document of its own here, whose unique `_id` decides who holds it.
 */
export class DeliveryLeases {
  constructor(private readonly leases: Model<DeliveryLeaseDocument>) {}

  /**
   * Takes up to `max` of `entries` whose current attempt has no live lease, in one unordered
   * insert. An entry another instance leased first (its insert wins the `_id`) is left out.
   * Answers the entries taken.
   */
  async take(
    entries: readonly OutboxEntryDocument[],
    owner: string,
    now: number,
    until: Date,
    max: number,
  ): Promise<OutboxEntryDocument[]> {
    if (entries.length === 0 || max <= 0) return [];
    const existing = await this.leases
      .find(
        { entryId: { $in: entries.map((e) => e._id) } },
        { entryId: 1, attempt: 1, generation: 1, until: 1, done: 1 },
      )
      .lean<DeliveryLeaseDocument[]>()
      .exec();
    const wanted: DeliveryLeaseDocument[] = [];
    const entryOf = new Map<string, OutboxEntryDocument>();
    for (const entry of entries) {
      if (wanted.length === max) break;
      const earlier = [
        ...leaseInEntry(entry),
        ...existing.filter((l) => l.entryId === entry._id && l.attempt === entry.attempts),
      ];
      // Being sent elsewhere, or already recorded (this copy of the entry is stale).
      if (earlier.some((l) => l.done || l.until.getTime() > now)) continue;
      const generation = Math.max(-1, ...earlier.map((l) => l.generation)) + 1;
      wanted.push(leaseOf(entry, generation, owner, until));
      entryOf.set(entry._id, entry);
    }
    return this.insert(wanted, entryOf);
  }

  /** One unordered insert; a lease whose `_id` another instance inserted first is not ours. */
  private async insert(
    wanted: readonly DeliveryLeaseDocument[],
    entryOf: ReadonlyMap<string, OutboxEntryDocument>,
  ): Promise<OutboxEntryDocument[]> {
    const taken = await insertNew(this.leases, wanted);
    return taken.map((lease) => entryOf.get(lease.entryId)!);
  }

  /**
   * Closes recorded attempts with their `done` markers (inserts; a marker already there is
   * fine). Their leases stay until pruned, so no copy of an entry read before the record can
   * lease the attempt again, whatever its timing.
   */
  async close(
    recorded: readonly { entryId: string; attempt: number }[],
    now: number,
  ): Promise<void> {
    const markers = recorded.map(({ entryId, attempt }) => ({
      _id: `${entryId}:${attempt}:done`,
      entryId,
      attempt,
      generation: -1,
      until: new Date(now),
      done: true,
    }));
    await insertNew(this.leases, markers);
  }

  /** Deletes leases and markers that ended before `before`; answers how many. */
  async prune(before: number): Promise<number> {
    const { deletedCount } = await this.leases
      .deleteMany({ until: { $lt: new Date(before) } })
      .exec();
    return deletedCount;
  }
}

/** The lease the recording insert put in the entry, while the entry is still at attempt 0. */
function leaseInEntry(
  entry: OutboxEntryDocument,
): Pick<DeliveryLeaseDocument, 'generation' | 'until' | 'done'>[] {
  return entry.attempts === 0 && entry.leaseUntil
    ? [{ generation: 0, until: entry.leaseUntil }]
    : [];
}

function leaseOf(
  entry: OutboxEntryDocument,
  generation: number,
  owner: string,
  until: Date,
): DeliveryLeaseDocument {
  return {
    _id: `${entry._id}:${entry.attempts}:${generation}`,
    entryId: entry._id,
    attempt: entry.attempts,
    generation,
    owner,
    until,
  };
}
