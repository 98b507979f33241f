import type { EndCause } from '../logout/end-cause';
import type { SessionTimeouts } from './expiry';
import { expiryOf } from './expiry';
import type { SsoSession } from './sso-session';

/** Why an unended session past its expiry ends: whichever limit it reached first. */
export function expiryCauseOf(
  session: SsoSession,
  timeouts: SessionTimeouts,
  now: number,
): EndCause | undefined {
  if (session.endedAt !== undefined) return undefined;
  const { idleExpiresAt, absoluteExpiresAt, expiresAt } = expiryOf(session, timeouts);
  if (now < expiresAt) return undefined;
  return idleExpiresAt <= absoluteExpiresAt ? 'idle-timeout' : 'absolute-timeout';
}

/**
 * When the sweeper next needs to look at a principal: the earliest expiry among its sessions,
 * or `now` while an ended session waits for completion. It is a lower bound: touches only move
 * expiries later, so the sweeper may come early (and recompute) but never late.
 * Undefined when there is no session.
 */
export function nextSweepAt(
  sessions: Iterable<SsoSession>,
  timeouts: SessionTimeouts,
  now: number,
): number | undefined {
  let next: number | undefined;
  for (const session of sessions) {
    const at = session.endedAt !== undefined ? now : expiryOf(session, timeouts).expiresAt;
    next = next === undefined ? at : Math.min(next, at);
  }
  return next;
}
