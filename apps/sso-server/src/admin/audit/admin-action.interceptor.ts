import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import type { AdminCaller } from '@tessera/core';
import { AuditTrail } from '@tessera/core';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { catchError, concatMap } from 'rxjs';
import type { AuthenticatedRequest } from '../../http/access.guard';
import { statusOf } from '../../http/error-filter';
import { adminActionEntry } from './admin-action-event';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every state-changing admin call as `admin.action`, with the token that made it and the
 * status it is answered with, error answers included. The record is written before the answer
 * goes out, so an answered action is in the log unless writing it failed (which is logged).
 * Calls refused before a token was accepted have no actor; the access guard records those, at
 * most 10 per client address and minute.
 */
@Injectable()
export class AdminActionInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AdminAudit');

  constructor(private readonly audit: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const actor = request.tesseraAdmin;
    if (!actor || READS.has(request.method)) return next.handle();
    const response = http.getResponse<Response>();
    return next.handle().pipe(
      // The handler has set the status by now (Nest sets the route's status before it runs).
      concatMap(async (body: unknown) => {
        await this.record(request, actor, response.statusCode);
        return body;
      }),
      catchError(async (error: unknown) => {
        await this.record(request, actor, statusOf(error));
        throw error;
      }),
    );
  }

  /** A failed record is logged; the action itself has happened and keeps its answer. */
  private async record(request: Request, actor: AdminCaller, status: number): Promise<void> {
    try {
      await this.audit.record(adminActionEntry(request, actor, status));
    } catch (error) {
      this.logger.error(`recording an admin action failed: ${String(error)}`);
    }
  }
}
