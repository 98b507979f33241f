import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ThrottleCounterDocument } from './throttle-counter.schema';
import { THROTTLE_COUNTER_MODEL } from './throttle-counter.schema';

const SWEEP_EVERY_MS = 5 * 60_000;
/**
 * Counters are deleted only this long after they were forgotten. A deleted key starts again at
 * version 1, and the revision claims of its earlier life must have expired by then (their
 * lease is 5 s and ClaimSweeper runs every 30 s), or they would block its first writes.
 */
const GRACE_MS = 5 * 60_000;

/** Deletes throttle counters that no longer hold anything back; the service's own expiry, not a TTL index. */
@Injectable()
export class ThrottleSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ThrottleSweeper');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectModel(THROTTLE_COUNTER_MODEL)
    private readonly counters: Model<ThrottleCounterDocument>,
  ) {}

  onApplicationBootstrap(): void {
    // unref: a pending sweep never keeps the process alive.
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass; answers how many counters went. A counter a late writer still holds just fails its compare-and-set. */
  async sweep(now = Date.now()): Promise<number> {
    try {
      const { deletedCount } = await this.counters
        .deleteMany({ forgetAt: { $lte: new Date(now - GRACE_MS) } })
        .exec();
      return deletedCount;
    } catch (error) {
      this.logger.warn(`sweeping login throttle counters failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
