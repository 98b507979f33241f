import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { StoredThrottleCounter, ThrottleCounter } from '@tessera/core';
import { LoginThrottleStore } from '@tessera/core';
import { Model } from 'mongoose';
import { WriteGuard } from '../write-guard/write-guard';
import type { ThrottleCounterDocument } from './throttle-counter.schema';
import { THROTTLE_COUNTER_MODEL } from './throttle-counter.schema';
import { isDuplicateKey } from '../duplicate-key';

/**
 * LoginThrottleStore on MongoDB: one document per key, written by compare-and-set on `version`.
 * A plain `$inc` would be cheaper, but FerretDB 1.x applies updates in two steps, so concurrent
 * increments could be lost; the same write guard as the principals' (revision claims on
 * FerretDB, nothing extra on MongoDB) makes every counted failure land exactly once. Its claims
 * share `principal_claims`; ClaimSweeper removes them after the lease, as it does for any id
 * without a principal document.
 */
@Injectable()
export class MongoLoginThrottleStore extends LoginThrottleStore {
  constructor(
    @InjectModel(THROTTLE_COUNTER_MODEL)
    private readonly counters: Model<ThrottleCounterDocument>,
    private readonly writeGuard: WriteGuard,
  ) {
    super();
  }

  async loadCounter(key: string): Promise<StoredThrottleCounter | undefined> {
    const doc = await this.counters
      .findOne({ _id: { $eq: key } })
      .lean<ThrottleCounterDocument>()
      .exec();
    if (!doc) return undefined;
    return {
      version: doc.version,
      counter: {
        failures: doc.failures,
        firstFailureAt: doc.firstFailureAt.getTime(),
        lastFailureAt: doc.lastFailureAt.getTime(),
        blockedUntil: doc.blockedUntil.getTime(),
        forgetAt: doc.forgetAt.getTime(),
      },
    };
  }

  saveCounter(key: string, expectedVersion: number, next: ThrottleCounter): Promise<boolean> {
    const fields = {
      version: expectedVersion + 1,
      failures: next.failures,
      firstFailureAt: new Date(next.firstFailureAt),
      lastFailureAt: new Date(next.lastFailureAt),
      blockedUntil: new Date(next.blockedUntil),
      forgetAt: new Date(next.forgetAt),
    };
    return this.writeGuard.guard(key, expectedVersion, async () => {
      if (expectedVersion === 0) return this.insert({ _id: key, ...fields });
      const result = await this.counters
        .updateOne({ _id: { $eq: key }, version: expectedVersion }, { $set: fields })
        .exec();
      return result.matchedCount === 1;
    });
  }

  /** The first counter of a key: an insert, which the unique `_id` makes atomic everywhere. */
  private async insert(doc: ThrottleCounterDocument): Promise<boolean> {
    try {
      await this.counters.create(doc);
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }
}
