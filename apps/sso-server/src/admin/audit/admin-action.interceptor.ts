import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@tessera/core';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../../http/access.guard';
import { adminActionEntry } from './admin-action-event';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every state-changing admin call as `admin.action`, with the token that made it and the
 * status it was answered with. It records when the response is done, so the status is the one the
 * caller saw, error answers included. Calls refused before a token was accepted have no actor and
 * are not recorded here.
 */
@Injectable()
export class AdminActionInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AdminAudit');

  constructor(private readonly audit: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const actor = request.tesseraAdmin;
    if (actor && !READS.has(request.method)) {
      const response = http.getResponse<Response>();
      response.once('close', () => {
        this.audit
          .record(adminActionEntry(request, actor, response.statusCode, response.writableFinished))
          .catch((error: unknown) =>
            this.logger.error(`recording an admin action failed: ${String(error)}`),
          );
      });
    }
    return next.handle();
  }
}
