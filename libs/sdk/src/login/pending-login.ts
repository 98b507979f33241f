import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A login the browser has started and not finished: what the callback needs to check the answer
 * (`state`), to redeem the code (the PKCE verifier) and to send the user on (`returnTo`). It lives in
 * a cookie of the browser, signed with the app's secret, so any instance of the app can finish the
 * login and nobody can forge one (a forged state or returnTo would defeat both checks).
 */
export interface PendingLogin {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: string;
  /** ms since the epoch; later the cookie is ignored even if the browser still sends it. */
  readonly expiresAt: number;
  /** The `prompt` the login was started with, so an error hook can tell a silent attempt. */
  readonly prompt?: 'none' | 'login';
}

/** HMAC keys shorter than this are refused: the cookie is only as unforgeable as its key. */
export const MIN_SECRET_BYTES = 32;
// Separates this use of the app's secret from any other use the app may make of it.
const PURPOSE = 'tessera-sdk/pending-login/v1';

export function signingKey(secret: string | Buffer): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`cookieSecret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return key;
}

/** `base64url(json).base64url(HMAC-SHA256)`. */
export function signPendingLogin(key: Buffer, login: PendingLogin): string {
  const body = Buffer.from(
    JSON.stringify({
      s: login.state,
      v: login.verifier,
      r: login.returnTo,
      e: login.expiresAt,
      p: login.prompt,
    }),
  ).toString('base64url');
  return `${body}.${tag(key, body)}`;
}

/** The login in a cookie value if its signature is genuine and it has not expired; else undefined. */
export function verifyPendingLogin(
  key: Buffer,
  value: string | undefined,
  now: number,
): PendingLogin | undefined {
  if (value === undefined) return undefined;
  const dot = value.indexOf('.');
  if (dot <= 0) return undefined;
  const body = value.slice(0, dot);
  const presented = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = Buffer.from(tag(key, body), 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return undefined;
  }
  const login = parse(body);
  return login !== undefined && now < login.expiresAt ? login : undefined;
}

function parse(body: string): PendingLogin | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null) return undefined;
  const { s, v, r, e, p } = fields as Record<string, unknown>;
  if (typeof s !== 'string' || typeof v !== 'string' || typeof r !== 'string') return undefined;
  if (typeof e !== 'number' || (p !== undefined && p !== 'none' && p !== 'login')) return undefined;
  return {
    state: s,
    verifier: v,
    returnTo: r,
    expiresAt: e,
    ...(p === undefined ? {} : { prompt: p }),
  };
}

function tag(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`${PURPOSE}\u0000${body}`).digest('base64url');
}

/** Constant-time string equality (for the state that came back against the one kept). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
