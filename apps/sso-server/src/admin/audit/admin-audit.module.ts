import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminActionInterceptor } from './admin-action.interceptor';
import { AdminRefusalRecord } from './admin-refusal-record';
import { AuditRetentionSweeper } from './audit-retention-sweeper';
import { AuditController } from './audit.controller';

/** The audit log's endpoint, the recording of admin actions and refusals, and its retention. */
@Module({
  controllers: [AuditController],
  providers: [
    { provide: APP_INTERCEPTOR, useClass: AdminActionInterceptor },
    AuditRetentionSweeper,
    AdminRefusalRecord,
  ],
  // The refusal record is used by the global AccessGuard, which lives in the app module.
  exports: [AuditRetentionSweeper, AdminRefusalRecord],
})
export class AdminAuditModule {}
