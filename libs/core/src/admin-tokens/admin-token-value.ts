import type { RandomSource } from '../random';
import { randomId } from '../random';

/**
 * An admin token value: `tsk.<id>.<validator>`. The prefix makes it recognisable (and greppable by
 * secret scanners), the 16-byte id leads to the stored token by `_id`, and the 32-byte validator
 * is stored only as a SHA-256 hash. A 256-bit random secret needs no slow hash.
 */
export const ADMIN_TOKEN_PREFIX = 'tsk';

const ID_BYTES = 16;
const VALIDATOR_BYTES = 32;
const part = (bytes: number) => `([A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}})`;

/** An admin token's id alone, as routes and commands take it. */
export const ADMIN_TOKEN_ID_PATTERN = new RegExp(
  `^[A-Za-z0-9_-]{${Math.ceil((ID_BYTES * 4) / 3)}}$`,
);

export const ADMIN_TOKEN_PATTERN = new RegExp(
  `^${ADMIN_TOKEN_PREFIX}\\.${part(ID_BYTES)}\\.${part(VALIDATOR_BYTES)}$`,
);

export interface AdminTokenParts {
  readonly id: string;
  readonly validator: string;
}

export function formatAdminToken(parts: AdminTokenParts): string {
  return `${ADMIN_TOKEN_PREFIX}.${parts.id}.${parts.validator}`;
}

/** Undefined for anything that is not exactly an admin token. */
export function parseAdminToken(value: string): AdminTokenParts | undefined {
  const m = ADMIN_TOKEN_PATTERN.exec(value);
  return m ? { id: m[1], validator: m[2] } : undefined;
}

export function newAdminTokenParts(random: RandomSource): AdminTokenParts {
  return { id: randomId(random, ID_BYTES), validator: randomId(random, VALIDATOR_BYTES) };
}
