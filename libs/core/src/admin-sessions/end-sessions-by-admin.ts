import type { NotificationStatus } from '../ports/logout-outbox';
import type { LogoutOutbox } from '../ports/logout-outbox';
import type { PrincipalStore } from '../ports/principal-store';
import type { EndSsoSession } from '../use-cases/end-sso-session';
import { PrincipalNotFound, SessionNotFound } from './admin-session-errors';

export interface AdminEndOutcome {
  /** Sessions this call ended (0 when they had ended already). */
  readonly ended: number;
  /** Where the back-channel notifications of those sessions stand. */
  readonly notifications: readonly NotificationStatus[];
}

/**
 * An administrator's kill switch: ends one session, or every session of a principal, through
 * EndSsoSession with the cause `admin`, like any other end (every app notified, every token
 * dead at once). A session that has ended but is still stored only has its end completed.
 */
export class EndSessionsByAdmin {
  constructor(
    private readonly store: PrincipalStore,
    private readonly endSession: EndSsoSession,
    private readonly outbox: LogoutOutbox,
  ) {}

  async endOne(principalId: string, sessionId: string): Promise<AdminEndOutcome> {
    if (!(await this.store.loadSession(principalId, sessionId))) throw new SessionNotFound();
    return this.end(principalId, [sessionId]);
  }

  /** Ends every session of the principal of realm + subject; none is fine (nothing to end). */
  async endAllOf(realm: string, subject: string): Promise<AdminEndOutcome> {
    const principalId = await this.store.findPrincipalId(realm, subject);
    const loaded =
      principalId === undefined ? undefined : await this.store.loadPrincipal(principalId);
    if (!loaded) return { ended: 0, notifications: [] };
    return this.end(loaded.principal.id, [...loaded.sessions.keys()]);
  }

  async endAll(principalId: string): Promise<AdminEndOutcome> {
    const loaded = await this.store.loadPrincipal(principalId);
    if (!loaded) throw new PrincipalNotFound();
    return this.end(principalId, [...loaded.sessions.keys()]);
  }

  private async end(principalId: string, sessionIds: readonly string[]): Promise<AdminEndOutcome> {
    let ended = 0;
    for (const sessionId of sessionIds) {
      const outcome = await this.endSession.execute({ principalId, sessionId, cause: 'admin' });
      if (outcome.ended) ended += 1;
    }
    return { ended, notifications: await this.outbox.statusOfSessions(sessionIds) };
  }
}
