import type { Clock } from '../clock';
import type { AdminTokenStore } from '../ports/admin-token-store';
import { hashValidator } from '../tokens/split-token';
import { parseAdminToken } from './admin-token-value';

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

/**
 * Stores the start-up token (TESSERA_BOOTSTRAP_ADMIN_TOKEN) with the `full` scope when its id is
 * not there yet. An existing token of that id is never changed, so a revoked bootstrap token stays
 * revoked across restarts; instances starting at once are settled by the unique `_id`.
 */
export class BootstrapAdminToken {
  constructor(
    private readonly store: AdminTokenStore,
    private readonly clock: Clock,
  ) {}

  /** True when this call stored the token. Throws on a value that is not an admin token. */
  async execute(value: string): Promise<boolean> {
    const parts = parseAdminToken(value);
    if (!parts)
      throw new RangeError('the bootstrap admin token is not in the Tessera admin token format');
    return this.store.insertIfAbsent({
      id: parts.id,
      name: BOOTSTRAP_TOKEN_NAME,
      scopes: ['full'],
      createdAt: this.clock.now(),
      validatorHash: hashValidator(parts.validator),
    });
  }
}
