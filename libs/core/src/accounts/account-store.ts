import type { AccountPage, LocalAccount } from './local-account';

/**
 * Persistence port for local accounts. Each method is one single-document operation; usernames
 * reaching it are already normalised.
 */
export abstract class AccountStore {
  abstract findByUsername(realm: string, username: string): Promise<LocalAccount | undefined>;

  /** Stores a new account; throws AccountAlreadyExists when the realm has that username. */
  abstract createAccount(account: LocalAccount): Promise<void>;

  /** False when there is no such account. */
  abstract setPasswordHash(accountId: string, passwordHash: string): Promise<boolean>;

  /** False when there is no such account. */
  abstract setDisabled(accountId: string, disabled: boolean): Promise<boolean>;

  /** Accounts of a realm in username order, starting after `after`; at most `limit` (1..1000). */
  abstract listAccounts(
    realm: string,
    page: { readonly after?: string; readonly limit: number },
  ): Promise<AccountPage>;
}
