import type { RegisteredApp } from '../apps/registered-app';
import type { PrincipalRecord, SsoSession } from '../session/sso-session';
import type { EndCause } from './end-cause';

/**
 * One back-channel logout to deliver: the app, where to POST, and what the logout token will
 * say (`sid`, `sub`). Its id is `<session id>:<client id>`, so recording it twice is harmless.
 */
export interface LogoutNotification {
  readonly id: string;
  readonly realm: string;
  readonly clientId: string;
  readonly backchannelLogoutUri: string;
  /** The public session id the app received: the token's `sid`. */
  readonly sessionId: string;
  /** The principal's subject: the token's `sub`. */
  readonly subject: string;
  readonly cause: EndCause;
  readonly createdAt: number;
  /** Delivery is pointless after this: the app could not have held the session any longer. */
  readonly deadline: number;
}

/** Delivery is attempted for at least this long, however close the session was to expiring. */
export const MIN_DELIVERY_WINDOW_MS = 10 * 60 * 1000;

/**
 * The notifications for an ended session: one per app that joined it (holds an app session)
 * and has a back-channel logout URI. Apps without one still lose the session at their next
 * request, because every request revalidates with the service.
 */
export function notificationsFor(
  principal: PrincipalRecord,
  session: SsoSession,
  apps: ReadonlyMap<string, RegisteredApp>,
  absoluteExpiresAt: number,
): LogoutNotification[] {
  const endedAt = session.endedAt ?? absoluteExpiresAt;
  const clientIds = new Set([...session.appSessions.values()].map((app) => app.clientId));
  return [...clientIds].flatMap((clientId) => {
    const uri = apps.get(clientId)?.backchannelLogoutUri;
    if (!uri) return [];
    return [
      {
        id: `${session.id}:${clientId}`,
        realm: principal.realm,
        clientId,
        backchannelLogoutUri: uri,
        sessionId: session.id,
        subject: principal.subject,
        cause: (session.endCause as EndCause | undefined) ?? 'logout',
        createdAt: endedAt,
        deadline: Math.max(absoluteExpiresAt, endedAt + MIN_DELIVERY_WINDOW_MS),
      },
    ];
  });
}
