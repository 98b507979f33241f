/** What an admin token may do: `read` looks, `full` also changes state (and includes `read`). */
export type AdminScope = 'read' | 'full';

export const ADMIN_SCOPES: readonly AdminScope[] = ['read', 'full'];

/** An admin API token as stored, without its validator (only the hash of it is kept). */
export interface AdminToken {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly AdminScope[];
  readonly createdAt: number;
  readonly revokedAt?: number;
  readonly lastUsedAt?: number;
}

/** A token with the SHA-256 hash of its validator, as the store holds it. */
export interface StoredAdminToken extends AdminToken {
  readonly validatorHash: string;
}

/** Who is calling the admin API, once their token is verified. */
export interface AdminCaller {
  readonly tokenId: string;
  readonly name: string;
  readonly scopes: readonly AdminScope[];
}

/** `full` includes `read`. */
export function scopesGrant(scopes: readonly AdminScope[], needed: AdminScope): boolean {
  return scopes.includes('full') || scopes.includes(needed);
}

/**
 * Names an operator can read in a list: 1 to 64 characters, none of them control, format
 * (zero-width, direction marks), unassigned or lone surrogate characters, and not only spaces.
 */
export const ADMIN_TOKEN_NAME = /^(?=.*\S)[^\p{C}]{1,64}$/u;
