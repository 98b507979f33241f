import type { LoginEvent } from '../accounts/login-events';
import { LoginEventSink } from '../accounts/login-events';
import type { AuditTrail } from './audit-trail';

/**
 * The password sign-in's events, into the audit log: failures and throttled attempts. A password
 * that matched is not yet a sign-in (the session may still be refused by policy), so
 * `login.succeeded` is recorded once, for every sign-in method, where the session starts
 * (apps/sso-server/src/login/sign-in-completion.ts).
 */
export class AuditLoginEvents extends LoginEventSink {
  constructor(private readonly trail: AuditTrail) {
    super();
  }

  async record(event: LoginEvent): Promise<void> {
    if (event.type === 'login.succeeded') return;
    const who = {
      at: event.at,
      realm: event.realm,
      ...(event.clientIp === undefined ? {} : { clientIp: event.clientIp }),
    };
    const details: Record<string, string | number> = { method: 'password' };
    if (event.username !== undefined) details.username = event.username;
    if (event.type === 'login.failed') details.reason = event.reason;
    else details.retryAfterMs = event.retryAfterMs;
    await this.trail.record({ ...who, type: event.type, details });
  }
}
