import type { RegisteredApp } from '../apps/registered-app';
import { InvalidSessionToken } from '../errors';
import type { PrincipalStore } from '../ports/principal-store';
import type { SessionTimeouts } from '../session/expiry';
import { isSessionLive } from '../session/expiry';
import type { AppSession, LoadedSession } from '../session/sso-session';
import { parseAppSessionToken, validatorMatches } from '../tokens/split-token';

export interface OpenedAppSession extends LoadedSession {
  readonly appSession: AppSession;
}

/**
 * Resolves an app session token presented by `app`: one read by `_id`, a constant-time check of
 * the validator, then the binding to the app and its realm, then liveness. Every failure is the
 * same InvalidSessionToken, so a caller learns nothing about why.
 */
export async function openAppSession(
  store: PrincipalStore,
  token: string,
  app: RegisteredApp,
  timeouts: SessionTimeouts,
  now: number,
): Promise<OpenedAppSession> {
  const parts = parseAppSessionToken(token);
  if (!parts) throw new InvalidSessionToken();
  const loaded = await store.loadSession(parts.principalId, parts.sessionId);
  const appSession = loaded?.session.appSessions.get(parts.handleId);
  if (!loaded || !appSession || !validatorMatches(parts.validator, appSession.validatorHash)) {
    throw new InvalidSessionToken();
  }
  if (appSession.clientId !== app.clientId || loaded.principal.realm !== app.realm) {
    throw new InvalidSessionToken();
  }
  if (!isSessionLive(loaded.session, timeouts, now)) throw new InvalidSessionToken();
  return { ...loaded, appSession };
}
