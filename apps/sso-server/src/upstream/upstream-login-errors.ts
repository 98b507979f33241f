/**
 * The failures of an upstream sign-in that the browser must be told about, one class each, with
 * the page the user sees. None of them carries internal detail: the page says what happened
 * and what to do; the log (upstream-login.controller.ts) keeps the rest.
 */
export abstract class UpstreamLoginError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Whether the pending login still stands, so "choose another way to sign in" makes sense. */
  readonly canRetry: boolean = true;
}

/** The realm or provider in the path is not configured, or its discovery has not succeeded. */
export class UnknownProvider extends UpstreamLoginError {
  readonly status = 404;
  readonly title = 'Unknown sign-in method';
  constructor() {
    super('This way of signing in is not available. Go back and choose another one.');
  }
}

/** No (live) pending login in this browser: it expired, or the link was opened elsewhere. */
export class NoPendingLogin extends UpstreamLoginError {
  readonly status = 400;
  readonly title = 'This sign-in has expired';
  override readonly canRetry = false;
  constructor() {
    super('Go back to the application and sign in again.');
  }
}

/** The csrf token of the start link does not belong to this browser's pending login. */
export class StartNotAllowed extends UpstreamLoginError {
  readonly status = 403;
  readonly title = 'Sign-in link not valid';
  constructor() {
    super('This sign-in link was not made for this browser. Go back and start again.');
  }
}

/** The pending login belongs to an app of another realm than the provider in the path. */
export class WrongRealm extends UpstreamLoginError {
  readonly status = 400;
  readonly title = 'Sign-in method not offered';
  constructor() {
    super('This way of signing in is not offered for the application you came from.');
  }
}

/** The provider answered the authorization request with an error (access_denied, ...). */
export class ProviderRefused extends UpstreamLoginError {
  readonly status: number;
  readonly title = 'Sign-in was not completed';
  constructor(
    readonly providerName: string,
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super(
      `${providerName} did not sign you in (${error}${description ? `: ${description}` : ''}). ` +
        'You can try again or choose another way to sign in.',
    );
    this.status = error === 'access_denied' ? 403 : 400;
  }
}

/** The callback could not be verified: unknown or replayed handshake, state, code or ID token. */
export class CallbackNotVerified extends UpstreamLoginError {
  readonly status = 400;
  readonly title = 'Sign-in could not be verified';
  constructor(readonly reason: string) {
    super('The answer from the identity provider could not be verified. Please start again.');
  }
}

/** The provider could not be reached, or failed, while the sign-in was being completed. */
export class ProviderUnavailable extends UpstreamLoginError {
  readonly status = 502;
  readonly title = 'Identity provider unavailable';
  constructor(
    providerName: string,
    readonly reason: string,
  ) {
    super(`${providerName} could not be reached. Please try again in a moment.`);
  }
}
