import { ServiceUnavailableError } from './errors';
import type { SessionView } from './session-view';
import { parseSessionView } from './session-view';

/** What `POST /token` gives an app for a login code: its app session, and the session it opens. */
export interface ExchangedSession {
  /** The app session token: keep it server-side or in an HttpOnly cookie, never in a page. */
  readonly appSessionToken: string;
  /** Seconds the session has left at the service (it slides with use; the service decides). */
  readonly expiresIn: number;
  /** The merged session as `GET /api/v1/session` would answer it. */
  readonly session: SessionView;
}

const TOKEN_TYPE = 'tessera-session';
// As for session tokens in client.ts: visible ASCII only, or it cannot be sent back in a header.
const PLAUSIBLE_TOKEN = /^[\x21-\x7e]{1,4096}$/;

/** Checks the shape of a 200 answer of `POST /token`; anything else is the service's fault. */
export function parseTokenResponse(body: unknown): ExchangedSession {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { access_token: token, token_type: type, expires_in: expiresIn } = fields;
  if (
    typeof token !== 'string' ||
    !PLAUSIBLE_TOKEN.test(token) ||
    typeof type !== 'string' ||
    // RFC 6749 7.1: the token type is case-insensitive.
    type.toLowerCase() !== TOKEN_TYPE ||
    typeof expiresIn !== 'number' ||
    !Number.isFinite(expiresIn) ||
    expiresIn < 0
  ) {
    throw new ServiceUnavailableError(
      'the token endpoint answered with a body that is not a Tessera session',
      200,
      'invalid_response',
    );
  }
  return { appSessionToken: token, expiresIn, session: parseSessionView(fields.session) };
}
