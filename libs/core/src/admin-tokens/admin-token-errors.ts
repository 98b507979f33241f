import { TesseraError } from '../errors';

/**
 * Refusals of the admin API's Bearer authentication (RFC 6750). `bearerError` is the `error`
 * attribute of the WWW-Authenticate challenge; absent when no token was given at all.
 */
export abstract class AdminAccessRefused extends TesseraError {
  abstract readonly bearerError?: 'invalid_token' | 'insufficient_scope';
}

/** No `Authorization: Bearer` header. */
export class AdminTokenRequired extends AdminAccessRefused {
  readonly code = 'admin_token_required';
  readonly bearerError = undefined;

  constructor() {
    super('this route requires an admin API token (Authorization: Bearer <token>)');
  }
}

/** The token is malformed, unknown or revoked; which one is not told. */
export class InvalidAdminToken extends AdminAccessRefused {
  readonly code = 'invalid_token';
  readonly bearerError = 'invalid_token';

  constructor() {
    super('the admin API token is not valid');
  }
}

/** The token is valid but lacks the scope the route needs. */
export class InsufficientAdminScope extends AdminAccessRefused {
  readonly code = 'insufficient_scope';
  readonly bearerError = 'insufficient_scope';

  constructor(needed: string) {
    super(`this route requires an admin API token with the "${needed}" scope`);
  }
}

/** No admin token has this id. */
export class AdminTokenNotFound extends TesseraError {
  readonly code = 'admin_token_not_found';

  constructor(id: string) {
    super(`no admin token has the id "${id}"`);
  }
}
