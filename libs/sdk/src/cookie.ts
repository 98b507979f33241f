/** Attributes of the app's own session cookie (the login callback will set it with these too). */
export interface CookieOptions {
  /** Default `tessera_app`. */
  readonly name?: string;
  /** Default `/`. */
  readonly path?: string;
  readonly domain?: string;
  /** Default true; set false only for plain-http localhost development. */
  readonly secure?: boolean;
  /** Default `Lax`. */
  readonly sameSite?: 'Strict' | 'Lax' | 'None';
}

export const DEFAULT_COOKIE_NAME = 'tessera_app';

/**
 * The value of cookie `name` in a Cookie header, or undefined. The first occurrence wins, as browsers
 * send the most specific path first. Surrounding quotes are dropped and %-escapes decoded.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length === 0) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end && header.slice(start, eq).trim() === name) {
      return decodeValue(header.slice(eq + 1, end).trim());
    }
    start = end + 1;
  }
  return undefined;
}

/** A Set-Cookie value that makes the browser drop the cookie (its path and domain must match). */
export function expiredCookie(options: CookieOptions = {}): string {
  return serializeCookie('', { ...options, maxAgeSeconds: 0 });
}

/** A Set-Cookie value for the app session cookie: always HttpOnly, the token is never for scripts. */
export function serializeCookie(
  value: string,
  options: CookieOptions & { readonly maxAgeSeconds?: number } = {},
): string {
  let cookie = `${options.name ?? DEFAULT_COOKIE_NAME}=${encodeURIComponent(value)}; Path=${options.path ?? '/'}`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (options.maxAgeSeconds !== undefined) cookie += `; Max-Age=${options.maxAgeSeconds}`;
  cookie += '; HttpOnly';
  if (options.secure ?? true) cookie += '; Secure';
  return `${cookie}; SameSite=${options.sameSite ?? 'Lax'}`;
}

function decodeValue(raw: string): string {
  const value =
    raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
