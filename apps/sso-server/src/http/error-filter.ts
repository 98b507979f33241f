import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import {
  AdminAccessRefused,
  AttributeLimitExceeded,
  ClientAuthenticationFailed,
  OAuthError,
  TesseraError,
  TemporarilyUnavailable,
  VersionMismatch,
} from '@tessera/core';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { etagOf } from './etag';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** The same text under the name OAuth clients read (RFC 6749 section 5.2). */
  error_description?: string;
  limit?: string;
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_session: 401,
  invalid_client: 401,
  invalid_request: 400,
  version_mismatch: 412,
  conflict: 409,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  login_required: 400,
  access_denied: 403,
  invalid_credentials: 401,
  too_many_attempts: 429,
  account_exists: 409,
  account_not_found: 404,
  temporarily_unavailable: 503,
  too_many_sessions: 409,
  admin_token_required: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  admin_token_not_found: 404,
  principal_not_found: 404,
  session_not_found: 404,
  app_not_found: 404,
  app_exists: 409,
};

const ERROR_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  428: 'precondition_required',
};

/**
 * The one place that turns errors into HTTP answers. Domain errors map by their code;
 * framework errors keep their status; anything unexpected becomes a 500 that shows the caller
 * only an error id, while the log gets the details under the same id.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.describe(error, response);
    if (response.headersSent) return;
    // An error describes one moment of one request; nothing on the way may keep it.
    response.setHeader('Cache-Control', 'no-store');
    response.status(body.statusCode).json(body);
  }

  private describe(error: unknown, response: Response): ErrorBody {
    if (error instanceof TesseraError) {
      if (error instanceof ClientAuthenticationFailed) {
        response.setHeader('WWW-Authenticate', 'Basic realm="tessera", charset="UTF-8"');
      }
      if (error instanceof AdminAccessRefused) {
        const attribute = error.bearerError ? `, error="${error.bearerError}"` : '';
        response.setHeader('WWW-Authenticate', `Bearer realm="tessera-admin"${attribute}`);
      }
      if (error instanceof VersionMismatch)
        response.setHeader('ETag', etagOf(error.currentVersion));
      if (error instanceof TemporarilyUnavailable) response.setHeader('Retry-After', '1');
      if (error instanceof AttributeLimitExceeded) {
        const statusCode = statusOf(error);
        return { statusCode, error: error.code, message: error.message, limit: error.limit };
      }
      const body: ErrorBody = {
        statusCode: statusOf(error),
        error: error.code,
        message: error.message,
      };
      if (error instanceof OAuthError || error instanceof ClientAuthenticationFailed) {
        body.error_description = error.message;
      }
      return body;
    }
    if (error instanceof HttpException) {
      const statusCode = statusOf(error);
      return {
        statusCode,
        error: ERROR_BY_STATUS[statusCode] ?? 'http_error',
        message: messageOf(error),
      };
    }
    const status = statusOf(error);
    if (status < 500) {
      // Errors raised by Express middleware such as the body parser (malformed JSON, too large).
      return {
        statusCode: status,
        error: ERROR_BY_STATUS[status] ?? 'invalid_request',
        message: (error as Error).message,
      };
    }
    const id = randomUUID();
    this.logger.error(
      `unexpected error ${id}`,
      error instanceof Error ? error.stack : String(error),
    );
    return {
      statusCode: 500,
      error: 'internal_error',
      message: `unexpected error; reference ${id}`,
    };
  }
}

/** The status an error is answered with; 500 for anything unexpected. */
export function statusOf(error: unknown): number {
  if (error instanceof AttributeLimitExceeded) return error.kind === 'size' ? 413 : 422;
  if (error instanceof TesseraError) return STATUS_BY_CODE[error.code] ?? 400;
  if (error instanceof HttpException) return error.getStatus();
  // Errors raised by Express middleware carry their own 4xx status.
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
