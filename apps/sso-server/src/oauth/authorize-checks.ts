import type { AppRegistry, RegisteredApp } from '@tessera/core';
import { InvalidRequest, isS256Challenge, UnsupportedResponseType } from '@tessera/core';

/**
 * The checks of GET /authorize, in order. The first two decide whether it is safe to redirect
 * at all: until the client and its exact redirect URI are known, failures are shown on a page
 * at the service (never an open redirect). The rest redirect back with `error` and `state`.
 */
export type AuthorizeQuery = Readonly<Record<string, unknown>>;

/** A failure that must be shown at the service, not sent to a redirect URI. */
export class UnsafeToRedirect extends Error {}

export async function knownClient(
  query: AuthorizeQuery,
  apps: AppRegistry,
): Promise<RegisteredApp> {
  const clientId = query.client_id;
  if (typeof clientId !== 'string' || clientId.length === 0) {
    throw new UnsafeToRedirect(
      'The request names no application (client_id is missing or repeated).',
    );
  }
  const app = await apps.findByClientId(clientId);
  if (!app?.enabled)
    throw new UnsafeToRedirect('The application that sent you here is not registered.');
  return app;
}

/** Exact string match: no normalisation, no prefix or pattern matching. */
export function registeredRedirectUri(query: AuthorizeQuery, app: RegisteredApp): string {
  const redirectUri = query.redirect_uri;
  if (typeof redirectUri !== 'string' || !app.redirectUris.includes(redirectUri)) {
    throw new UnsafeToRedirect(
      'The address the application asked to return to is not registered for it.',
    );
  }
  return redirectUri;
}

type RedirectableCheck = (query: AuthorizeQuery) => void;

const noRepeatedParameters: RedirectableCheck = (query) => {
  const repeated = Object.keys(query).filter((name) => typeof query[name] !== 'string');
  if (repeated.length > 0)
    throw new InvalidRequest(
      `parameters given more than once or malformed: ${repeated.join(', ')}`,
    );
};

const responseTypeIsCode: RedirectableCheck = ({ response_type }) => {
  if (response_type !== 'code') throw new UnsupportedResponseType('response_type must be "code"');
};

/** PKCE is required, and only S256: `plain` would hand the verifier to anyone who sees the URL. */
const pkceIsS256: RedirectableCheck = ({ code_challenge, code_challenge_method }) => {
  if (code_challenge_method !== 'S256') {
    throw new InvalidRequest(
      'code_challenge_method must be "S256" (PKCE is required; "plain" is refused)',
    );
  }
  if (typeof code_challenge !== 'string' || !isS256Challenge(code_challenge)) {
    throw new InvalidRequest('code_challenge must be a base64url SHA-256 (43 characters)');
  }
};

const promptIsSupported: RedirectableCheck = ({ prompt }) => {
  if (prompt !== undefined && prompt !== 'none' && prompt !== 'login') {
    throw new InvalidRequest('prompt must be "none" or "login"');
  }
};

const boundedText: RedirectableCheck = ({ state, login_hint }) => {
  if (typeof state === 'string' && state.length > 1024)
    throw new InvalidRequest('state is longer than 1024 characters');
  if (typeof login_hint === 'string' && login_hint.length > 256) {
    throw new InvalidRequest('login_hint is longer than 256 characters');
  }
};

export const AUTHORIZE_CHECKS: readonly RedirectableCheck[] = [
  noRepeatedParameters,
  responseTypeIsCode,
  pkceIsS256,
  promptIsSupported,
  boundedText,
];
