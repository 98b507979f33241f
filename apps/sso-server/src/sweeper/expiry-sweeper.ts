import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { SweepExpiredSessions } from '@tessera/core';
import { ServiceSettings } from '../config/service-settings';

/** Upper bound on batches per run, so one run cannot spin on principals that keep failing. */
const MAX_BATCHES_PER_RUN = 50;

/**
 * Runs the expiry sweeper (SweepExpiredSessions) every TESSERA_SWEEP_INTERVAL_SECONDS. Every
 * instance runs it: the use case is safe with several at once, so no leader is needed.
 */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ExpirySweeper');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly sweep: SweepExpiredSessions,
    private readonly settings: ServiceSettings,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMs } = this.settings.sweeper;
    if (intervalMs === 0) return;
    // unref: a pending sweep never keeps the process alive.
    this.timer = setInterval(() => void this.runOnce(), intervalMs).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // Let a run in progress finish its writes before the database connection closes.
    await this.running;
  }

  /** One run: batches until one comes back short. Answers the sessions ended. Never throws. */
  runOnce(): Promise<number> {
    // A slow run is not overlapped by the next tick of this instance.
    this.running ??= this.sweepBatches().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepBatches(): Promise<number> {
    const { batchSize } = this.settings.sweeper;
    let ended = 0;
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
        const outcome = await this.sweep.execute(batchSize);
        ended += outcome.ended;
        for (const error of outcome.errors) {
          this.logger.warn(`sweeping a principal failed, retried next run: ${messageOf(error)}`);
        }
        if (outcome.principals < batchSize || outcome.failed === outcome.principals) break;
      }
    } catch (error) {
      this.logger.warn(`the expiry sweep failed: ${messageOf(error)}`);
    }
    return ended;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
