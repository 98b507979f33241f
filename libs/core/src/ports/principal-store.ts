import type { AttributeChange } from '../attributes/merge';
import type { AuthorizationCode } from '../authorization/authorization-code';
import type { EndCause } from '../logout/end-cause';
import type {
  AppSession,
  LoadedSession,
  PrincipalWithSessions,
  SsoSession,
} from '../session/sso-session';

export interface AttributeWrite {
  readonly principalId: string;
  readonly sessionId: string;
  /** The principal document's revision the changes were computed from. */
  readonly expectedRev: number;
  readonly changes: readonly AttributeChange[];
  readonly sharedRev: number;
  readonly privateRev: { readonly clientId: string; readonly rev: number };
  readonly accessedAt: number;
  /** The session's creation time, so the principal's `liveUntil` summary stays exact. */
  readonly sessionCreatedAt?: number;
}

export interface AddSessionOptions {
  /** Replaces the principal's profile. */
  readonly profile?: Readonly<Record<string, string>>;
  /** When the new session expires at the latest; `sweepAfter` is lowered to it. */
  readonly expiresAt?: number;
  /** Sessions ended in the same write (and `sweepAfter` lowered to `endedAt`). */
  readonly end?: {
    readonly sessionIds: readonly string[];
    readonly endedAt: number;
    readonly cause: EndCause;
  };
}

/**
 * Persistence port for principals and everything inside their document. Every method is one
 * single-document operation; the ones taking `expectedRev` are compare-and-set and answer false
 * when another writer changed the document first (the caller reloads and retries).
 */
export abstract class PrincipalStore {
  /** Finds the principal of realm + subject, creating an empty one with `newId` if there is none. */
  abstract findOrCreatePrincipal(input: {
    newId: string;
    realm: string;
    subject: string;
    now: number;
  }): Promise<PrincipalWithSessions>;

  /** The id of the principal of realm + subject, or undefined when there is none. */
  abstract findPrincipalId(realm: string, subject: string): Promise<string | undefined>;

  /** The principal with all its sessions, or undefined when it is gone. */
  abstract loadPrincipal(principalId: string): Promise<PrincipalWithSessions | undefined>;

  /**
   * Marks sessions ended (their tokens stop working at once) and makes the principal due for
   * the sweeper, which completes the end if nothing else does (docs/single-logout.md). A
   * compare-and-set on `loaded`'s revision that needs no other read: answers the principal as
   * written (withSessionsEnded), or undefined when another writer changed it first.
   */
  abstract endSessions(
    loaded: PrincipalWithSessions,
    sessionIds: readonly string[],
    endedAt: number,
    cause: EndCause,
  ): Promise<PrincipalWithSessions | undefined>;

  /**
   * Removes sessions whose end is complete (their notifications are in the outbox); like
   * endSessions, a compare-and-set on `loaded` that answers the principal as written.
   */
  abstract removeSessions(
    loaded: PrincipalWithSessions,
    sessionIds: readonly string[],
  ): Promise<PrincipalWithSessions | undefined>;

  /** Deletes the principal's document if it holds no session any more. */
  abstract deletePrincipalIfEmpty(principalId: string, expectedRev: number): Promise<boolean>;

  /** The principal and one of its sessions, or undefined when either is gone. */
  abstract loadSession(principalId: string, sessionId: string): Promise<LoadedSession | undefined>;

  /**
   * Adds a new SSO session, in one compare-and-set write with everything in `options`: the
   * profile replaced, sessions ended the way `endSessions` ends them (the concurrent-session
   * policy's evictions), and `sweepAfter` lowered to `expiresAt`.
   */
  abstract addSession(
    principalId: string,
    expectedRev: number,
    session: SsoSession,
    options?: AddSessionOptions,
  ): Promise<boolean>;

  /** Principals whose `sweepAfter` has passed, earliest first, at most `limit`. */
  abstract listDueForSweep(now: number, limit: number): Promise<string[]>;

  /** Compare-and-set of when the sweeper next needs the principal (undefined: never). */
  abstract setSweepAfter(
    principalId: string,
    expectedRev: number,
    at: number | undefined,
  ): Promise<boolean>;

  abstract addAppSession(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    appSession: AppSession,
    at: number,
    sessionCreatedAt?: number,
  ): Promise<boolean>;

  abstract applyAttributeWrites(write: AttributeWrite): Promise<boolean>;

  /** Adds a code to a session and forgets the listed codes (used or expired long ago). */
  abstract addAuthorizationCode(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    code: AuthorizationCode,
    forget: readonly string[],
  ): Promise<boolean>;

  /** Marks a code redeemed and adds the app session issued from it, in one write. */
  abstract redeemAuthorizationCode(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    codeId: string,
    redeemedAt: number,
    appSession: AppSession,
    sessionCreatedAt?: number,
  ): Promise<boolean>;

  /** Ends one app session: its token stops working at once. */
  abstract removeAppSession(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    handleId: string,
  ): Promise<boolean>;

  /**
   * Moves the session's last access forward (never back). Best effort: it does not bump the
   * revision, and may skip when another writer holds the document (the next read touches again).
   * `sessionCreatedAt` (on this and the other writes that access a session) lets the store keep
   * the principal's `liveUntil` summary exact; without it the idle expiry alone is assumed.
   */
  abstract touchSession(
    principalId: string,
    sessionId: string,
    rev: number,
    at: number,
    sessionCreatedAt?: number,
  ): Promise<void>;
}
