import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import { InvalidRequest } from '@tessera/core';
import type { ClassConstructor } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request } from 'express';
import { describeValidationErrors } from '../config/validation-messages';

/**
 * A form-encoded OAuth request body, validated into `dto`. Unlike the JSON API, unknown
 * parameters are ignored (RFC 6749 section 3.2 requires it), and failures are OAuth
 * `invalid_request` errors. The global ValidationPipe does not see custom decorators.
 */
export const OAuthForm = createParamDecorator(
  (dto: ClassConstructor<object>, context: ExecutionContext) => {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidRequest('the body must be application/x-www-form-urlencoded parameters');
    }
    const form = plainToInstance(dto, body);
    const problems = describeValidationErrors(validateSync(form, { whitelist: true }));
    if (problems.length > 0) throw new InvalidRequest(problems.join('; '));
    return form;
  },
);
