import type { Clock } from '../clock';
import type { AdminTokenStore } from '../ports/admin-token-store';
import { validatorMatches } from '../tokens/split-token';
import type { AdminCaller } from './admin-token';
import { parseAdminToken } from './admin-token-value';

/** lastUsedAt moves at most this often per token, so a busy token does not cost a write per call. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Checks a presented admin token. There is no cache: each call reads the token by `_id`, so a
 * revocation is in force on every instance at the next request.
 */
export class VerifyAdminToken {
  constructor(
    private readonly store: AdminTokenStore,
    private readonly clock: Clock,
  ) {}

  /** The caller, or undefined for a malformed, unknown or revoked token. */
  async execute(value: string): Promise<AdminCaller | undefined> {
    const parts = parseAdminToken(value);
    if (!parts) return undefined;
    const token = await this.store.findById(parts.id);
    if (!token || !validatorMatches(parts.validator, token.validatorHash)) return undefined;
    if (token.revokedAt !== undefined) return undefined;
    const now = this.clock.now();
    if (token.lastUsedAt === undefined || token.lastUsedAt <= now - LAST_USED_RESOLUTION_MS) {
      await this.store.recordUse(token.id, now, now - LAST_USED_RESOLUTION_MS);
    }
    return { tokenId: token.id, name: token.name, scopes: token.scopes };
  }
}
