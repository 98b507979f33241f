import type { Clock } from '../clock';
import type { AdminTokenStore } from '../ports/admin-token-store';
import type { AdminToken } from './admin-token';
import { AdminTokenNotFound } from './admin-token-errors';

/**
 * Revokes an admin token. Revoking twice is not an error (the first revocation time stays), and
 * a token may revoke itself: its next request is refused.
 */
export class RevokeAdminToken {
  constructor(
    private readonly store: AdminTokenStore,
    private readonly clock: Clock,
  ) {}

  async execute(id: string): Promise<AdminToken> {
    const token = await this.store.revoke(id, this.clock.now());
    if (!token) throw new AdminTokenNotFound(id);
    return token;
  }
}
