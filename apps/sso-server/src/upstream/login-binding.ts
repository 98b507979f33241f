import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A digest of the pending login's csrf token. The handshake cookie carries it, so a callback
 * completes only the pending login its sign-in started from, without copying the token itself
 * into a second cookie.
 */
export function loginBindingOf(csrf: string): string {
  return createHash('sha256').update(`upstream-login\u0000${csrf}`).digest('base64url');
}

/** Constant-time equality of two strings of any length (compares their SHA-256 digests). */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
