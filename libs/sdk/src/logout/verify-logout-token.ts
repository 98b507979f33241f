import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { jwtVerify } from 'jose';
import { LogoutTokenError } from './logout-token-error';

/** The claims of a verified logout token that an app may act on. */
export interface LogoutClaims {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  /** The SSO session that ended; absent when the token names only the subject. */
  readonly sid?: string;
  readonly sub?: string;
}

export interface LogoutTokenChecks {
  /** The signing keys: a `createRemoteJWKSet` (cached, refetched on an unknown `kid`). */
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  /** This app's client id. */
  readonly audience: string;
  readonly clockToleranceSeconds: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
// The service signs with ES256 only; a fixed list also shuts out `none` and algorithm confusion.
const ALGORITHMS = ['ES256'];
// Generous for any real token, small enough that a junk body is refused before any parsing.
const MAX_TOKEN_LENGTH = 8192;

/**
 * Verifies a logout token as OpenID Connect Back-Channel Logout 1.0, section 2.6, requires: the
 * signature with the service's keys, `typ: logout+jwt` (so that an ID token signed by the same
 * keys cannot pass for one), `iss`, `aud`, `iat`, `exp` and `jti`, the back-channel logout event,
 * `sid` or `sub`, and no `nonce`. Throws `LogoutTokenError` with a reason that can be shown.
 */
export async function verifyLogoutToken(
  token: string,
  checks: LogoutTokenChecks,
): Promise<LogoutClaims> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new LogoutTokenError('logout_token is missing or too long');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, checks.keys, {
      algorithms: ALGORITHMS,
      typ: 'logout+jwt',
      issuer: checks.issuer,
      audience: checks.audience,
      clockTolerance: checks.clockToleranceSeconds,
      currentDate: new Date(checks.now()),
      requiredClaims: ['iat', 'exp', 'jti'],
    }));
  } catch (error) {
    throw refusal(error);
  }
  return checkLogoutClaims(payload, checks);
}

/** The checks jose does not make: the ones specific to logout tokens. */
function checkLogoutClaims(payload: JWTPayload, checks: LogoutTokenChecks): LogoutClaims {
  const { iss, aud, iat, exp, jti, sid, sub } = payload;
  // jose checks `exp`, but a future `iat` only with maxTokenAge, which retried deliveries rule out.
  if (typeof iat !== 'number' || iat > checks.now() / 1000 + checks.clockToleranceSeconds) {
    throw new LogoutTokenError('iat is in the future');
  }
  if (typeof exp !== 'number') throw new LogoutTokenError('exp is missing');
  if (typeof jti !== 'string' || jti.length === 0) throw new LogoutTokenError('jti is missing');
  const events = payload.events;
  if (!isObject(events) || !isObject(events[BACKCHANNEL_LOGOUT_EVENT])) {
    throw new LogoutTokenError('events does not hold the back-channel logout event');
  }
  // A nonce marks an ID token: refusing it stops an ID token being replayed as a logout.
  if (payload.nonce !== undefined) throw new LogoutTokenError('nonce is not allowed');
  if (sid !== undefined && (typeof sid !== 'string' || sid.length === 0)) {
    throw new LogoutTokenError('sid is malformed');
  }
  if (sub !== undefined && (typeof sub !== 'string' || sub.length === 0)) {
    throw new LogoutTokenError('sub is malformed');
  }
  if (sid === undefined && sub === undefined) throw new LogoutTokenError('neither sid nor sub');
  return { iss: iss!, aud: aud!, iat, exp, jti, sid, sub };
}

/** Maps jose's errors to a short reason, and key-fetch failures to 503 so that the service retries. */
function refusal(error: unknown): LogoutTokenError {
  const code = (error as { code?: unknown } | null)?.code;
  const claim = (error as { claim?: unknown }).claim;
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new LogoutTokenError('bad signature', 400, { cause: error });
    case 'ERR_JWT_EXPIRED':
      return new LogoutTokenError('token expired', 400, { cause: error });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return new LogoutTokenError(`${String(claim)} is not valid`, 400, { cause: error });
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new LogoutTokenError('unknown signing key', 400, { cause: error });
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new LogoutTokenError('algorithm not allowed', 400, { cause: error });
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new LogoutTokenError('malformed token', 400, { cause: error });
  }
  // Anything else is the key set: unreachable, timed out, not a JWKS. Not the token's fault.
  return new LogoutTokenError('signing keys unavailable', 503, { cause: error });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
