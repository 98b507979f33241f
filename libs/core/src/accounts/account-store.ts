import type {
  AccountChanges,
  AccountKey,
  AccountPage,
  AccountSummary,
  LocalAccount,
} from './local-account';

/** One page of the account listing; values reaching the store are already validated. */
export interface AccountListQuery {
  /** Only this realm's accounts. */
  readonly realm?: string;
  /** Only usernames that start with it (normalised like usernames, matched literally). */
  readonly usernamePrefix?: string;
  /** The last account of the previous page. */
  readonly after?: AccountKey;
  /** 1..1000. */
  readonly limit: number;
}

/**
 * Persistence port for local accounts. Each method is one single-document operation; usernames
 * reaching it are already normalised.
 */
export abstract class AccountStore {
  abstract findByUsername(realm: string, username: string): Promise<LocalAccount | undefined>;

  /** Stores a new account; throws AccountAlreadyExists when the realm has that username. */
  abstract createAccount(account: LocalAccount): Promise<void>;

  /**
   * Sets the given fields of one account; the account as it is afterwards, or undefined when
   * there is no such account. Concurrent changes of different fields all land, on every server.
   */
  abstract updateAccount(
    accountId: string,
    changes: AccountChanges,
  ): Promise<AccountSummary | undefined>;

  /** Accounts in (realm, username) order, starting after `query.after`. */
  abstract listAccounts(query: AccountListQuery): Promise<AccountPage>;
}
