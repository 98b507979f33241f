import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestSession } from '@tessera/sdk';

/**
 * CSRF protection for the demo's forms: a synchronizer token per session, kept as the attribute
 * `csrf` (private to each app by the demo realm's policy, so one app's token is useless at another),
 * sent in every form as `_csrf`; plus a check of the Origin header where the browser sends one.
 */
export const CSRF_ATTRIBUTE = 'csrf';
export const CSRF_FIELD = '_csrf';

/** The session's token, created on first use (the SDK stores it when the response ends). */
export function csrfTokenOf(session: RequestSession): string {
  const existing = session.get(CSRF_ATTRIBUTE);
  if (typeof existing === 'string' && existing.length >= 32) return existing;
  const token = randomBytes(32).toString('base64url');
  session.set(CSRF_ATTRIBUTE, token);
  return token;
}

/** Whether a submitted form carries the session's token (constant-time; a missing one fails). */
export function csrfTokenMatches(expected: unknown, presented: unknown): boolean {
  if (typeof expected !== 'string' || typeof presented !== 'string' || expected.length < 32) {
    return false;
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A cross-site form post carries the attacker's Origin (or `null` from sandboxes and privacy
 * redirects). No header at all happens with old browsers and non-browser clients: the token decides.
 */
export function originAllowed(origin: string | undefined, ownOrigin: string): boolean {
  return origin === undefined || origin === ownOrigin;
}
