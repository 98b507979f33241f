/** Why a sign-in failed. Only the audit log sees it; the user always gets InvalidCredentials. */
export type LoginFailureReason =
  'unknown_user' | 'wrong_password' | 'account_disabled' | 'invalid_input';

interface LoginEventBase {
  readonly at: number;
  readonly realm: string;
  /** Normalised; absent when what was typed cannot be a username. */
  readonly username?: string;
  readonly clientIp?: string;
}

export type LoginEvent =
  | (LoginEventBase & { readonly type: 'login.succeeded'; readonly subject: string })
  | (LoginEventBase & { readonly type: 'login.failed'; readonly reason: LoginFailureReason })
  | (LoginEventBase & { readonly type: 'login.throttled'; readonly retryAfterMs: number });

/**
 * Where sign-in events go: the audit log will implement this. It is awaited, so an audit log
 * that must not lose events can fail the sign-in when it cannot record one.
 */
export abstract class LoginEventSink {
  abstract record(event: LoginEvent): Promise<void>;
}

/** Until an audit log exists. */
export class IgnoreLoginEvents extends LoginEventSink {
  record(): Promise<void> {
    return Promise.resolve();
  }
}
