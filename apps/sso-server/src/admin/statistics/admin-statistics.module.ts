import { Module } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import { AuditLog, LogoutOutbox, OnlinePrincipals, ReadSessionStatistics } from '@tessera/core';
import { CLOCK } from '../../core/injection-tokens';
import { StatisticsController } from './statistics.controller';

/** How long one instance reuses its statistics; the answer's `computedAt` shows their age. */
export const STATISTICS_MAX_AGE_MS = 5_000;

@Module({
  controllers: [StatisticsController],
  providers: [
    {
      provide: ReadSessionStatistics,
      inject: [OnlinePrincipals, AuditLog, LogoutOutbox, CLOCK],
      useFactory: (online: OnlinePrincipals, audit: AuditLog, outbox: LogoutOutbox, clock: Clock) =>
        new ReadSessionStatistics(online, audit, outbox, clock, STATISTICS_MAX_AGE_MS),
    },
  ],
})
export class AdminStatisticsModule {}
