import { TesseraError } from '../errors';

/**
 * The protocol errors of the login flow, one class each (RFC 6749 section 5.2 and 4.1.2.1,
 * OpenID Connect Core 3.1.2.6). `code` is the `error` value the app receives.
 */
export abstract class OAuthError extends TesseraError {}

export class InvalidRequest extends OAuthError {
  readonly code = 'invalid_request';
}

export class InvalidGrant extends OAuthError {
  readonly code = 'invalid_grant';
}

export class UnsupportedGrantType extends OAuthError {
  readonly code = 'unsupported_grant_type';
}

export class UnsupportedResponseType extends OAuthError {
  readonly code = 'unsupported_response_type';
}

export class LoginRequired extends OAuthError {
  readonly code = 'login_required';

  constructor() {
    super('the user is not signed in and prompt=none forbids asking');
  }
}

export class AccessDenied extends OAuthError {
  readonly code = 'access_denied';
}
