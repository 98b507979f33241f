import type { SsoSession } from '../session/sso-session';

/** What a new sign-in does when the principal already has `maxSessions` live sessions. */
export type ConcurrentSessionStrategy = 'allow' | 'invalidate-before' | 'invalidate-after';

export const CONCURRENT_SESSION_STRATEGIES: readonly ConcurrentSessionStrategy[] = [
  'allow',
  'invalidate-before',
  'invalidate-after',
];

/** A realm's limit on live SSO sessions per principal (realms file `sessionPolicy`). */
export interface ConcurrentSessionPolicy {
  readonly maxSessions: number;
  readonly strategy: ConcurrentSessionStrategy;
}

/** The policy of a realm, or undefined for no limit. */
export type ConcurrentSessionPolicies = (realm: string) => ConcurrentSessionPolicy | undefined;

export const NO_SESSION_LIMITS: ConcurrentSessionPolicies = () => undefined;

export type ConcurrentSessionDecision =
  | { readonly kind: 'admit' }
  /** Admit, and end these sessions in the same write. */
  | { readonly kind: 'evict'; readonly sessionIds: readonly string[] }
  | { readonly kind: 'refuse'; readonly maxSessions: number };

/**
 * Decides a new sign-in against the live sessions the caller read. Pure: the caller writes the
 * outcome with a compare-and-set on the revision it read, so the decision holds atomically and
 * two racing sign-ins cannot both pass the limit (the loser rereads and decides again).
 */
export function decideConcurrentSessions(
  policy: ConcurrentSessionPolicy | undefined,
  liveSessions: readonly SsoSession[],
): ConcurrentSessionDecision {
  if (!policy || policy.strategy === 'allow') return { kind: 'admit' };
  const excess = liveSessions.length + 1 - policy.maxSessions;
  if (excess <= 0) return { kind: 'admit' };
  if (policy.strategy === 'invalidate-after')
    return { kind: 'refuse', maxSessions: policy.maxSessions };
  // Oldest sign-in first; the id breaks ties so that racing deciders pick the same sessions.
  const oldestFirst = [...liveSessions].sort(
    (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { kind: 'evict', sessionIds: oldestFirst.slice(0, excess).map((s) => s.id) };
}
