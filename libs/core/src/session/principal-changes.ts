import type { EndCause } from '../logout/end-cause';
import type { PrincipalWithSessions, SsoSession } from './sso-session';

/**
 * A principal as a compare-and-set write that ends sessions leaves it: those sessions marked
 * ended, the revision one higher. Lets a caller go on from its own copy instead of reading the
 * document back.
 */
export function withSessionsEnded(
  loaded: PrincipalWithSessions,
  sessionIds: readonly string[],
  endedAt: number,
  cause: EndCause,
): PrincipalWithSessions {
  const sessions = new Map(loaded.sessions);
  for (const id of sessionIds) {
    const session = sessions.get(id);
    if (session) sessions.set(id, { ...session, endedAt, endCause: cause });
  }
  return nextRevision(loaded, sessions);
}

/** A principal as a compare-and-set write that removes sessions leaves it. */
export function withSessionsRemoved(
  loaded: PrincipalWithSessions,
  sessionIds: readonly string[],
): PrincipalWithSessions {
  const sessions = new Map(loaded.sessions);
  for (const id of sessionIds) sessions.delete(id);
  return nextRevision(loaded, sessions);
}

function nextRevision(
  loaded: PrincipalWithSessions,
  sessions: ReadonlyMap<string, SsoSession>,
): PrincipalWithSessions {
  return { principal: { ...loaded.principal, rev: loaded.principal.rev + 1 }, sessions };
}
