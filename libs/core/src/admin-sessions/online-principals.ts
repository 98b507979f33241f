import type { PrincipalWithSessions } from '../session/sso-session';

/** Filters of the online list; each narrows it (all of them together: AND). */
export interface OnlinePrincipalsFilter {
  readonly realm?: string;
  /** An app joined to one of the principal's sessions. */
  readonly clientId?: string;
  /** The start of the subject, compared exactly. */
  readonly subjectPrefix?: string;
  /** The start of the display name (profile `name`), compared case-insensitively. */
  readonly namePrefix?: string;
}

/** Where a page of the online list ends: its order is newest activity first, then id. */
export interface ActivityPosition {
  readonly lastActivityAt: number;
  readonly principalId: string;
}

export interface OnlinePrincipalRecord extends PrincipalWithSessions {
  readonly lastActivityAt: number;
}

/** Counts over every principal with a live session, for the statistics. */
export interface SessionTotals {
  readonly onlinePrincipals: number;
  /** Sessions not ended of those principals (see docs/admin/sessions.md on expiry). */
  readonly openSessions: number;
  /** client id → sessions not ended that the app joined, of those principals. */
  readonly openSessionsByApp: Readonly<Record<string, number>>;
}

/**
 * The administrators' read side of the principals: queries by the summary fields every write
 * keeps in the principal's document, each answered from an index on MongoDB.
 */
export abstract class OnlinePrincipals {
  /** Principals with a live session at `now`, newest activity first, strictly after `after`. */
  abstract list(
    filter: OnlinePrincipalsFilter,
    now: number,
    limit: number,
    after?: ActivityPosition,
  ): Promise<OnlinePrincipalRecord[]>;

  /** How many principals `list` would give over all its pages. */
  abstract count(filter: OnlinePrincipalsFilter, now: number): Promise<number>;

  abstract totals(now: number): Promise<SessionTotals>;
}
