import type { SessionAttributes } from '../attributes/attribute-entry';
import type { AuthorizationCode } from '../authorization/authorization-code';

/** Where a browser signed in from, kept for the administrators' view. */
export interface ClientInfo {
  readonly ip?: string;
  readonly userAgent?: string;
}

/** An app's handle on an SSO session: issued when the app completes a login, held by the app's backend. */
export interface AppSession {
  readonly handleId: string;
  readonly clientId: string;
  /** SHA-256 of the token's validator; the validator itself is never stored. */
  readonly validatorHash: string;
  readonly createdAt: number;
}

/** One browser's signed-in state at the service, with the apps that joined it and its attributes. */
export interface SsoSession {
  /** Public session id: given to apps (and later in logout tokens); not a credential. */
  readonly id: string;
  /** SHA-256 of the browser's SSO token validator. */
  readonly validatorHash: string;
  readonly createdAt: number;
  /** Last recorded access; written at most once per touch interval, so it may lag by that much. */
  readonly lastAccessAt: number;
  readonly endedAt?: number;
  readonly endCause?: string;
  readonly client: ClientInfo;
  readonly appSessions: ReadonlyMap<string, AppSession>;
  /** Codes issued to apps on this session, kept after use so a replay can be recognised. */
  readonly codes: ReadonlyMap<string, AuthorizationCode>;
  readonly attributes: SessionAttributes;
}

/** A user within a realm. `rev` increases with every change of the principal's document. */
export interface PrincipalRecord {
  /** Opaque random id of the principal's document; the selector part of every token. */
  readonly id: string;
  readonly realm: string;
  readonly subject: string;
  readonly profile: Readonly<Record<string, string>>;
  readonly profileRev: number;
  readonly rev: number;
}

export interface PrincipalWithSessions {
  readonly principal: PrincipalRecord;
  readonly sessions: ReadonlyMap<string, SsoSession>;
}

export interface LoadedSession {
  readonly principal: PrincipalRecord;
  readonly session: SsoSession;
}
