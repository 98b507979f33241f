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
 * Where sign-in events go: the audit log (audit/audit-login-events.ts) in the service. It is
 * awaited, so a sign-in fails when its event cannot be recorded.
 */
export abstract class LoginEventSink {
  abstract record(event: LoginEvent): Promise<void>;
}

/** For use cases run without an audit log (unit tests). */
export class IgnoreLoginEvents extends LoginEventSink {
  record(): Promise<void> {
    return Promise.resolve();
  }
}
