import type { AdminToken, StoredAdminToken } from '../admin-tokens/admin-token';

/** A page of admin tokens, newest first; `next` is the last item's key when more follow. */
export interface AdminTokenPage {
  readonly tokens: AdminToken[];
  readonly next?: AdminTokenKey;
}

/** Where a newest-first listing stands: the creation time and id of the last token shown. */
export interface AdminTokenKey {
  readonly createdAt: number;
  readonly id: string;
}

/** Persistence port for admin API tokens; each method is one single-document operation. */
export abstract class AdminTokenStore {
  /** Stores a new token; false (and nothing changed) when its id exists already. */
  abstract insertIfAbsent(token: StoredAdminToken): Promise<boolean>;

  abstract findById(id: string): Promise<StoredAdminToken | undefined>;

  /** Sets revokedAt unless already revoked; the token as it now stands, undefined when unknown. */
  abstract revoke(id: string, at: number): Promise<AdminToken | undefined>;

  /** Moves lastUsedAt to `at` only when it is unset or older than `notAfter`. */
  abstract recordUse(id: string, at: number, notAfter: number): Promise<void>;

  /** Tokens newest first (createdAt, then id, descending), after `after`; `limit` 1..1000. */
  abstract list(page: {
    readonly after?: AdminTokenKey;
    readonly limit: number;
  }): Promise<AdminTokenPage>;
}
