/**
 * A single-use code issued to an app at the end of the login redirect. It lives inside the SSO
 * session it belongs to, so redeeming it and issuing the app session is one atomic write.
 */
export interface AuthorizationCode {
  readonly id: string;
  /** SHA-256 of the code's validator; the code itself is never stored. */
  readonly validatorHash: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** PKCE S256 challenge the app sent to /authorize. */
  readonly codeChallenge: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly redeemedAt?: number;
  /** The app session issued from this code; ended if the code is ever presented again. */
  readonly appSessionHandle?: string;
}

/** Used and expired codes are kept this long after issue, so a replay is recognised as one. */
export const CODE_REPLAY_MEMORY_MS = 10 * 60 * 1000;

/** Unused, unexpired codes one session may hold; a browser looping /authorize cannot grow it past this. */
export const MAX_PENDING_CODES_PER_SESSION = 20;

/** The oldest pending codes beyond `keep`: dropped (they simply stop working) to make room. */
export function excessPendingCodes(
  codes: ReadonlyMap<string, AuthorizationCode>,
  now: number,
  keep: number,
): string[] {
  return [...codes.values()]
    .filter((code) => code.redeemedAt === undefined && code.expiresAt > now)
    .sort((a, b) => b.issuedAt - a.issuedAt || (a.id < b.id ? -1 : 1))
    .slice(keep)
    .map((code) => code.id);
}

/** Codes that can be forgotten at `now`. */
export function forgettableCodes(
  codes: ReadonlyMap<string, AuthorizationCode>,
  now: number,
): string[] {
  return [...codes.values()]
    .filter((code) => code.issuedAt + CODE_REPLAY_MEMORY_MS < now && code.expiresAt < now)
    .map((code) => code.id);
}
