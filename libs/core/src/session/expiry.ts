import type { SsoSession } from './sso-session';

export interface SessionTimeouts {
  /** A session not used for this long ends (sliding). */
  readonly idleTimeoutMs: number;
  /** A session ends this long after sign-in, however busy. */
  readonly absoluteLifetimeMs: number;
  /** The access time is written at most this often, so reads do not each cost a write. */
  readonly touchIntervalMs: number;
}

export interface SessionExpiry {
  readonly idleExpiresAt: number;
  readonly absoluteExpiresAt: number;
  /** The earlier of the two. */
  readonly expiresAt: number;
}

export function expiryOf(session: SsoSession, timeouts: SessionTimeouts): SessionExpiry {
  const idleExpiresAt = session.lastAccessAt + timeouts.idleTimeoutMs;
  const absoluteExpiresAt = session.createdAt + timeouts.absoluteLifetimeMs;
  return {
    idleExpiresAt,
    absoluteExpiresAt,
    expiresAt: Math.min(idleExpiresAt, absoluteExpiresAt),
  };
}

/** Ended or past either expiry: an expired session reads as ended at once, before any sweeper removes it. */
export function isSessionLive(
  session: SsoSession,
  timeouts: SessionTimeouts,
  now: number,
): boolean {
  return session.endedAt === undefined && now < expiryOf(session, timeouts).expiresAt;
}

export function isTouchDue(session: SsoSession, timeouts: SessionTimeouts, now: number): boolean {
  return now - session.lastAccessAt >= timeouts.touchIntervalMs;
}
