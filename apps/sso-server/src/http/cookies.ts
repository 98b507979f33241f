import type { Response } from 'express';

/** Reads one cookie from a Cookie header; undefined when absent or malformed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface ServiceCookie {
  readonly name: string;
  readonly secure: boolean;
  /** Omitted: a browser-session cookie. */
  readonly maxAgeMs?: number;
}

/** Every cookie of the service is host-only, HttpOnly, SameSite=Lax, path `/`. */
export function setServiceCookie(res: Response, cookie: ServiceCookie, value: string): void {
  res.cookie(cookie.name, value, {
    httpOnly: true,
    secure: cookie.secure,
    sameSite: 'lax',
    path: '/',
    ...(cookie.maxAgeMs === undefined ? {} : { maxAge: cookie.maxAgeMs }),
  });
}

export function clearServiceCookie(res: Response, cookie: ServiceCookie): void {
  res.clearCookie(cookie.name, {
    httpOnly: true,
    secure: cookie.secure,
    sameSite: 'lax',
    path: '/',
  });
}

/** `__Host-` binds a cookie to this exact host over https; browsers refuse the prefix on http. */
export function hostCookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}
