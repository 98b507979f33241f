import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminActionInterceptor } from './admin-action.interceptor';
import { AuditRetentionSweeper } from './audit-retention-sweeper';
import { AuditController } from './audit.controller';

/** The audit log's endpoint, the recording of admin actions, and its retention. */
@Module({
  controllers: [AuditController],
  providers: [
    { provide: APP_INTERCEPTOR, useClass: AdminActionInterceptor },
    AuditRetentionSweeper,
  ],
  exports: [AuditRetentionSweeper],
})
export class AdminAuditModule {}
