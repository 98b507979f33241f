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

/** Codes that can be forgotten at `now`. */
export function forgettableCodes(
  codes: ReadonlyMap<string, AuthorizationCode>,
  now: number,
): string[] {
  return [...codes.values()]
    .filter((code) => code.issuedAt + CODE_REPLAY_MEMORY_MS < now && code.expiresAt < now)
    .map((code) => code.id);
}
