import type { Request, RequestHandler, Response } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet } from 'jose';
import { JtiMemory } from './jti-memory';
import { readLogoutToken } from './logout-token-body';
import { LogoutTokenError } from './logout-token-error';
import type { LogoutClaims } from './verify-logout-token';
import { verifyLogoutToken } from './verify-logout-token';

/** What the handler needs from a client: usually a `TesseraClient`. */
export interface LogoutClient {
  readonly clientId: string;
  forgetSession(sessionId: string): void;
  /** For a token with `sub` and no `sid`; without it such a token drops nothing locally. */
  forgetSubject?(subject: string): void;
}

export interface BackchannelLogoutOptions {
  readonly client: LogoutClient;
  /** The service as browsers reach it; the issuer is its origin, the keys under it. */
  readonly serviceUrl?: string;
  /** The expected `iss`. Default: the origin of `serviceUrl`. One of the two is required. */
  readonly issuer?: string;
  /** Default `{serviceUrl or issuer}/.well-known/jwks.json`. */
  readonly jwksUrl?: string;
  /** Leeway for `iat` and `exp` between the service's clock and this one. Default 30. */
  readonly clockToleranceSeconds?: number;
  /** Called once per logout token, after the local state is dropped (e.g. to drop app data). */
  readonly onLogout?: (claims: LogoutClaims) => void | Promise<void>;
  /** Logout tokens remembered against replays (each until its `exp`). Default 10 000. */
  readonly jtiCapacity?: number;
  /** Largest body read. Default 16 KiB. */
  readonly bodyLimitBytes?: number;
  /** Least time between two key-set fetches for unknown `kid`s. Default 30 s. */
  readonly jwksCooldownMs?: number;
  /** The signing keys, for tests or a custom cache. Default: fetched from `jwksUrl`. */
  readonly keys?: JWTVerifyGetKey;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** The outcome of one delivery: `replayed` when the `jti` was seen before and nothing was done. */
export interface LogoutOutcome {
  readonly claims: LogoutClaims;
  readonly replayed: boolean;
}

/** An Express handler for the endpoint, with the framework-free step it is built on. */
export interface BackchannelLogoutHandler extends RequestHandler {
  /** Verifies a logout token and acts on it; throws `LogoutTokenError`. For Nest controllers. */
  receive(logoutToken: string): Promise<LogoutOutcome>;
}

/**
 * The receiving end of back-channel logout (OpenID Connect Back-Channel Logout 1.0): verifies the
 * service's logout token and drops this app's state for that session. Mount it on the registered
 * `backchannelLogoutUri`, e.g. `app.post('/auth/backchannel-logout', handler)`, before any login
 * requirement or CSRF check (the service calls it, not a browser). It parses its own body.
 *
 * Answers 200 (also for a replayed token, which has no effect), 400 `{error, error_description}`
 * for a refused token, 503 when the signing keys cannot be fetched, always `Cache-Control: no-store`.
 */
export function tesseraBackchannelLogout(
  options: BackchannelLogoutOptions,
): BackchannelLogoutHandler {
  const base = options.serviceUrl ?? options.issuer;
  if (base === undefined) throw new TypeError('serviceUrl or issuer is required');
  const issuer = options.issuer ?? new URL(base).origin;
  const jwksUrl = new URL(options.jwksUrl ?? `${base.replace(/\/+$/, '')}/.well-known/jwks.json`);
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
  if (!(clockToleranceSeconds >= 0 && clockToleranceSeconds <= 300)) {
    throw new TypeError('clockToleranceSeconds must be from 0 to 300');
  }
  const now = options.now ?? Date.now;
  const keys =
    options.keys ??
    createRemoteJWKSet(jwksUrl, { cooldownDuration: options.jwksCooldownMs ?? 30_000 });
  const seen = new JtiMemory(options.jtiCapacity ?? 10_000, now);
  const bodyLimit = options.bodyLimitBytes ?? 16 * 1024;
  const { client, onLogout } = options;
  const checks = { keys, issuer, audience: client.clientId, clockToleranceSeconds, now };

  /** Tokens being acted on: a duplicate that arrives meanwhile shares the first one's outcome. */
  const acting = new Map<string, Promise<void>>();

  const receive = async (logoutToken: string): Promise<LogoutOutcome> => {
    const claims = await verifyLogoutToken(logoutToken, checks);
    const key = `${claims.iss}\n${claims.jti}`;
    const first = acting.get(key);
    if (first) {
      // Answering 200 before the first delivery has acted could acknowledge a logout never done.
      await first;
      return { claims, replayed: true };
    }
    // Kept past `exp` by the tolerance: until then a replay still verifies.
    if (!seen.remember(key, (claims.exp + clockToleranceSeconds) * 1000)) {
      return { claims, replayed: true };
    }
    const act = (async () => {
      if (claims.sid !== undefined) client.forgetSession(claims.sid);
      else if (claims.sub !== undefined) client.forgetSubject?.(claims.sub);
      await onLogout?.(claims);
    })();
    acting.set(key, act);
    try {
      await act;
    } catch (error) {
      // Not done: a redelivery must try again rather than be taken for a replay.
      seen.forget(key);
      throw error;
    } finally {
      acting.delete(key);
    }
    return { claims, replayed: false };
  };

  const handler = (req: Request, res: Response, next: (error?: unknown) => void): void => {
    res.setHeader('cache-control', 'no-store');
    readLogoutToken(req, bodyLimit)
      .then(receive)
      .then(
        () => void res.status(200).end(),
        (error: unknown) => {
          if (!(error instanceof LogoutTokenError)) return next(error);
          res.status(error.status).json({
            error: error.status === 400 ? 'invalid_request' : 'temporarily_unavailable',
            error_description: error.reason,
          });
        },
      )
      // A throwing error handler must not become an unhandled rejection.
      .catch(next);
  };
  return Object.assign(handler, { receive });
}
