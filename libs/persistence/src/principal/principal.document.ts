/**
 * Shape of a principal's document in the `principals` collection (docs/store-layout.md).
 * Maps keyed by ids or encoded attribute keys, never arrays of sub-documents, so that every
 * change is a plain `$set`/`$unset` of a path: no positional operators or arrayFilters, which
 * FerretDB lacks. Attribute values are JSON text, so no nested arrays are ever stored.
 */
export interface StoredAttributeEntry {
  /** JSON text of the value; absent for a removal (tombstone). */
  v?: string;
  /** Write time, ms since the epoch. */
  t: number;
  /** Client id of the writer. */
  w: string;
}

export type StoredNamespace = Record<string, StoredAttributeEntry>;

export interface StoredAppSession {
  clientId: string;
  validatorHash: string;
  createdAt: Date;
}

export interface StoredAuthorizationCode {
  validatorHash: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  issuedAt: Date;
  expiresAt: Date;
  redeemedAt?: Date;
  appSessionHandle?: string;
}

export interface StoredSession {
  sid: string;
  validatorHash: string;
  createdAt: Date;
  lastAccessAt: Date;
  endedAt?: Date;
  endCause?: string;
  client: { ip?: string; userAgent?: string };
  /** handle id → app session */
  apps: Record<string, StoredAppSession>;
  /** code id → authorization code (kept a while after use to recognise replays) */
  codes?: Record<string, StoredAuthorizationCode>;
  /** encoded key → entry */
  shared: StoredNamespace;
  /** client id → encoded key → entry */
  private: Record<string, StoredNamespace>;
  sharedRev: number;
  /** client id → revision of its private namespace */
  privateRevs: Record<string, number>;
}

export interface PrincipalDocument {
  /** Random, opaque; the selector inside every token, so lookups go by `_id` on any topology. */
  _id: string;
  realm: string;
  subject: string;
  /** encoded claim name → value */
  profile: Record<string, string>;
  profileRev: number;
  /** Increases with every change; the compare-and-set guard of all writes. */
  rev: number;
  createdAt: Date;
  lastActivityAt: Date;
  /** The sweeper looks at the principal once this time has passed (an end to complete, an expiry). */
  sweepAfter?: Date;
  /** public session id → session */
  sessions: Record<string, StoredSession>;
  // The summary below describes the sessions not ended, for the administrators' lists; every
  // write keeps it right (principal-summary.ts). Documents written before it lack it until the
  // store's start-up backfill has run.
  /** Latest expiry among the sessions not ended; absent when there is none. */
  liveUntil?: Date;
  /** How many sessions have not ended. */
  openSessions?: number;
  /** One entry per app joined to a session not ended (absent: none): the app filter, per-app counts. */
  sessionApps?: StoredSessionApp[];
  /** The profile's `name` lower-cased, for the prefix search (absent without a name). */
  nameLower?: string;
}

export interface StoredSessionApp {
  /** public session id */
  s: string;
  /** client id */
  c: string;
}
