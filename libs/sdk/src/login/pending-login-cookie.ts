import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie, serializeCookie } from '../cookie';

/** The shape of the states this SDK makes (32 random bytes, base64url); anything else is not ours. */
const STATE = /^[A-Za-z0-9_-]{43}$/;
/** Enough of the state to name its cookie: 96 bits, so two tabs never share a cookie by chance. */
const NAME_CHARS = 16;

export function isWellFormedState(state: string): boolean {
  return STATE.test(state);
}

/**
 * One cookie per pending login, named after its state, so a login started in one tab does not
 * overwrite another tab's. Path is the callback's path: the browser sends these cookies to the
 * callback only, and each one is deleted there or expires on its own after `maxAgeSeconds`.
 * SameSite=Lax because the callback is a top-level GET coming from the service's site.
 */
export class PendingLoginCookie {
  constructor(
    private readonly baseName: string,
    private readonly path: string,
    private readonly secure: boolean,
    private readonly maxAgeSeconds: number,
  ) {}

  set(res: ServerResponse, state: string, value: string): void {
    appendSetCookie(res, this.#serialize(state, value, this.maxAgeSeconds));
  }

  read(req: IncomingMessage, state: string): string | undefined {
    return isWellFormedState(state) ? readCookie(req.headers.cookie, this.#name(state)) : undefined;
  }

  clear(res: ServerResponse, state: string): void {
    if (isWellFormedState(state)) appendSetCookie(res, this.#serialize(state, '', 0));
  }

  #name(state: string): string {
    return `${this.baseName}_${state.slice(0, NAME_CHARS)}`;
  }

  #serialize(state: string, value: string, maxAgeSeconds: number): string {
    return serializeCookie(value, {
      name: this.#name(state),
      path: this.path,
      secure: this.secure,
      sameSite: 'Lax',
      maxAgeSeconds,
    });
  }
}

/** Adds a Set-Cookie header without dropping those already set (the session cookie, say). */
export function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('set-cookie');
  const list =
    existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...list, cookie]);
}
