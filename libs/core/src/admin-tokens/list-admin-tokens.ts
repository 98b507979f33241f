import type { AdminTokenKey, AdminTokenPage, AdminTokenStore } from '../ports/admin-token-store';

/** Admin tokens newest first, revoked ones included (they say when they were revoked). */
export class ListAdminTokens {
  constructor(private readonly store: AdminTokenStore) {}

  execute(page: {
    readonly after?: AdminTokenKey;
    readonly limit: number;
  }): Promise<AdminTokenPage> {
    return this.store.list(page);
  }
}
