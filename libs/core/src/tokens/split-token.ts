import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../random';
import { randomId } from '../random';

/**
 * Split tokens: a selector that leads straight to the principal's document by `_id` (and to the
 * session and handle inside it), plus a 256-bit validator stored only as a SHA-256 hash.
 * The principal's identity never appears in a token. Layout in docs/tokens.md.
 */
export const ID_BYTES = {
  principal: 16,
  session: 16,
  handle: 12,
  code: 12,
  validator: 32,
} as const;

const part = (bytes: number) => `([A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}})`;
const APP_TOKEN = new RegExp(
  `^tsa\\.${part(ID_BYTES.principal)}\\.${part(ID_BYTES.session)}\\.${part(ID_BYTES.handle)}\\.${part(ID_BYTES.validator)}$`,
);
const SSO_TOKEN = new RegExp(
  `^tss\\.${part(ID_BYTES.principal)}\\.${part(ID_BYTES.session)}\\.${part(ID_BYTES.validator)}$`,
);

const CODE = new RegExp(
  `^tsc\\.${part(ID_BYTES.principal)}\\.${part(ID_BYTES.session)}\\.${part(ID_BYTES.code)}\\.${part(ID_BYTES.validator)}$`,
);

export interface AuthorizationCodeParts {
  readonly principalId: string;
  readonly sessionId: string;
  readonly codeId: string;
  readonly validator: string;
}

export function formatAuthorizationCode(p: AuthorizationCodeParts): string {
  return `tsc.${p.principalId}.${p.sessionId}.${p.codeId}.${p.validator}`;
}

export function parseAuthorizationCode(code: string): AuthorizationCodeParts | undefined {
  const m = CODE.exec(code);
  return m ? { principalId: m[1], sessionId: m[2], codeId: m[3], validator: m[4] } : undefined;
}

export function newCodeId(random: RandomSource): string {
  return randomId(random, ID_BYTES.code);
}

export interface AppSessionTokenParts {
  readonly principalId: string;
  readonly sessionId: string;
  readonly handleId: string;
  readonly validator: string;
}

export interface SsoTokenParts {
  readonly principalId: string;
  readonly sessionId: string;
  readonly validator: string;
}

export function formatAppSessionToken(p: AppSessionTokenParts): string {
  return `tsa.${p.principalId}.${p.sessionId}.${p.handleId}.${p.validator}`;
}

/** Undefined for anything that is not exactly an app session token. */
export function parseAppSessionToken(token: string): AppSessionTokenParts | undefined {
  const m = APP_TOKEN.exec(token);
  return m ? { principalId: m[1], sessionId: m[2], handleId: m[3], validator: m[4] } : undefined;
}

export function formatSsoToken(p: SsoTokenParts): string {
  return `tss.${p.principalId}.${p.sessionId}.${p.validator}`;
}

export function parseSsoToken(token: string): SsoTokenParts | undefined {
  const m = SSO_TOKEN.exec(token);
  return m ? { principalId: m[1], sessionId: m[2], validator: m[3] } : undefined;
}

export function newPrincipalId(random: RandomSource): string {
  return randomId(random, ID_BYTES.principal);
}

export function newSessionId(random: RandomSource): string {
  return randomId(random, ID_BYTES.session);
}

export function newHandleId(random: RandomSource): string {
  return randomId(random, ID_BYTES.handle);
}

export function newValidator(random: RandomSource): string {
  return randomId(random, ID_BYTES.validator);
}

export function hashValidator(validator: string): string {
  return createHash('sha256').update(validator).digest('base64url');
}

/** Constant-time comparison of a presented validator with a stored hash. */
export function validatorMatches(validator: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(validator).digest();
  const stored = Buffer.from(storedHash, 'base64url');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
