import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import type { RegisteredApp } from '@tessera/core';
import { InvalidSessionToken } from '@tessera/core';
import type { AuthenticatedRequest } from '../http/access.guard';

/** Header that carries the app session token on session API calls. */
export const SESSION_TOKEN_HEADER = 'tessera-session';

/** The app that the AccessGuard authenticated. */
export const CurrentApp = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const app = context.switchToHttp().getRequest<AuthenticatedRequest>().tesseraApp;
  if (!app) throw new Error('CurrentApp used on a route without @AppClient()');
  return app satisfies RegisteredApp;
});

/** The app session token; a missing or repeated header is refused like an invalid token. */
export const SessionToken = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const token = context.switchToHttp().getRequest<AuthenticatedRequest>().headers[
    SESSION_TOKEN_HEADER
  ];
  if (typeof token !== 'string' || token.length === 0) {
    throw new InvalidSessionToken(
      'the Tessera-Session header with the app session token is required',
    );
  }
  return token;
});
