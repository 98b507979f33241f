import type { SessionTimeouts } from '../session/expiry';
import { expiryOf } from '../session/expiry';
import type { SsoSession } from '../session/sso-session';

/** One app joined to one session that has not ended. */
export interface SessionApp {
  readonly sessionId: string;
  readonly clientId: string;
}

/**
 * What the administrators' lists need to know of a principal without reading its sessions,
 * kept in the principal's document by every write (docs/admin/sessions.md). It describes the
 * sessions that have not ended; a session past its expiry counts in `openSessions` and
 * `sessionApps` until the sweeper ends it, but `liveUntil` is exact at any moment.
 */
export interface PrincipalSummary {
  /** The latest expiry among the sessions not ended; undefined when there is none. */
  readonly liveUntil?: number;
  readonly openSessions: number;
  readonly sessionApps: readonly SessionApp[];
}

export function summarizeSessions(
  sessions: Iterable<SsoSession>,
  timeouts: SessionTimeouts,
): PrincipalSummary {
  let liveUntil: number | undefined;
  let openSessions = 0;
  const sessionApps: SessionApp[] = [];
  for (const session of sessions) {
    if (session.endedAt !== undefined) continue;
    openSessions += 1;
    const { expiresAt } = expiryOf(session, timeouts);
    liveUntil = liveUntil === undefined ? expiresAt : Math.max(liveUntil, expiresAt);
    const clientIds = new Set([...session.appSessions.values()].map((app) => app.clientId));
    for (const clientId of clientIds) sessionApps.push({ sessionId: session.id, clientId });
  }
  return { liveUntil, openSessions, sessionApps };
}

/**
 * A session's expiry right after an access at `at`. Without its creation time the absolute
 * lifetime cannot be applied, and the idle expiry alone is an upper bound (the sweeper's end of
 * the session corrects it).
 */
export function expiryAfterAccess(
  at: number,
  timeouts: SessionTimeouts,
  sessionCreatedAt?: number,
): number {
  const idle = at + timeouts.idleTimeoutMs;
  return sessionCreatedAt === undefined
    ? idle
    : Math.min(idle, sessionCreatedAt + timeouts.absoluteLifetimeMs);
}
