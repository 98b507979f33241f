import { TesseraError } from '../errors';

/**
 * Unknown user, wrong password and disabled account all end here with one message, so the
 * answer never tells which it was (the login events carry the reason for the audit log).
 */
export class InvalidCredentials extends TesseraError {
  readonly code = 'invalid_credentials';

  constructor() {
    super('the username or password is not correct');
  }
}

/** Too many recent failures for this account or client address; nothing was checked. */
export class TooManyLoginAttempts extends TesseraError {
  readonly code = 'too_many_attempts';

  constructor(readonly retryAfterMs: number) {
    super(
      `too many failed sign-in attempts; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`,
    );
  }
}

/** An account with this username already exists in the realm; nothing was changed. */
export class AccountAlreadyExists extends TesseraError {
  readonly code = 'account_exists';

  constructor(
    readonly realm: string,
    readonly username: string,
  ) {
    super(`an account named "${username}" already exists in realm "${realm}"`);
  }
}

export type AccountField = 'realm' | 'username' | 'password' | 'passwordHash' | 'name' | 'email';

/** Account data that breaks a rule (username form, password length, profile field). */
export class InvalidAccountInput extends TesseraError {
  readonly code = 'invalid_request';

  constructor(
    readonly field: AccountField,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** No account of that username in the realm; nothing was changed. */
export class AccountNotFound extends TesseraError {
  readonly code = 'account_not_found';

  constructor(
    readonly realm: string,
    readonly username: string,
  ) {
    super(`no account named "${username}" in realm "${realm}"`);
  }
}
