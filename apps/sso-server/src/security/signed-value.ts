import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A JSON payload with an HMAC-SHA256 tag: `base64url(json).base64url(tag)`. Used for short-lived
 * state kept in the browser (pending logins), so any instance can read it and nobody can forge it.
 * `purpose` separates uses of one key: a value signed for one purpose never verifies for another.
 */
export function signValue(key: Buffer, purpose: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${tag(key, purpose, body)}`;
}

export function verifyValue(key: Buffer, purpose: string, value: string | undefined): unknown {
  if (!value) return undefined;
  const dot = value.indexOf('.');
  if (dot <= 0) return undefined;
  const body = value.slice(0, dot);
  const presented = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = Buffer.from(tag(key, purpose, body), 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function tag(key: Buffer, purpose: string, body: string): string {
  return createHmac('sha256', key).update(`${purpose}\u0000${body}`).digest('base64url');
}
