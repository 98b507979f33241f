import type { PrincipalRecord, SsoSession } from '../session/sso-session';
import type { AuditEntry } from './audit-trail';
import { sessionEndEventId } from './audit-event';

/**
 * `session.ended` for one ended session. Its id and time come from the session, so a completion
 * that runs again after a crash records the same event, which the log then ignores.
 */
export function sessionEnded(principal: PrincipalRecord, session: SsoSession): AuditEntry {
  return {
    id: sessionEndEventId(session.id),
    at: session.endedAt,
    type: 'session.ended',
    realm: principal.realm,
    principalId: principal.id,
    subject: principal.subject,
    sessionId: session.id,
    ...(session.client.ip === undefined ? {} : { clientIp: session.client.ip }),
    details: {
      cause: session.endCause ?? 'unknown',
      apps: [...new Set([...session.appSessions.values()].map((a) => a.clientId))].sort(),
    },
  };
}
