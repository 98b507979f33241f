import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import { AuditLog } from '@tessera/core';
import { ServiceSettings } from '../../config/service-settings';
import { CLOCK } from '../../core/injection-tokens';

const SWEEP_EVERY_MS = 10 * 60_000;
const BATCH = 1000;
/** One run stops after this many batches; the next run goes on. */
const MAX_BATCHES = 100;

/**
 * Deletes audit events older than TESSERA_AUDIT_RETENTION_DAYS. The service's own expiry, not a
 * TTL index: FerretDB 1.24 refuses `expireAfterSeconds` ("not implemented yet"). Every instance
 * runs it; two running at once delete the same events, which is harmless.
 */
@Injectable()
export class AuditRetentionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: AuditLog,
    private readonly settings: ServiceSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // unref: a pending sweep never keeps the process alive.
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One run; answers how many events went. */
  async sweep(): Promise<number> {
    const before = this.clock.now() - this.settings.admin.auditRetentionMs;
    let deleted = 0;
    try {
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const count = await this.log.deleteOlderThan(before, BATCH);
        deleted += count;
        if (count < BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`deleting old audit events failed: ${(error as Error).message}`);
    }
    return deleted;
  }
}
