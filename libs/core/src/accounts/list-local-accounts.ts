import type { AccountStore } from './account-store';
import type { AccountKey, AccountPage } from './local-account';
import { parseRealmName } from './realm-name';
import { parseUsernamePrefix } from './username';

export interface ListLocalAccountsQuery {
  readonly realm?: unknown;
  readonly usernamePrefix?: unknown;
  readonly after?: AccountKey;
  readonly limit: number;
}

/** Largest page the store serves; callers bound their own limits below it. */
export const MAX_ACCOUNT_PAGE = 1000;

/** One page of local accounts in (realm, username) order, optionally of one realm or name prefix. */
export class ListLocalAccounts {
  constructor(private readonly accounts: AccountStore) {}

  /** Throws InvalidAccountInput for a malformed filter, and RangeError for a limit out of range. */
  execute(query: ListLocalAccountsQuery): Promise<AccountPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_ACCOUNT_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_ACCOUNT_PAGE}`);
    }
    const realm = query.realm === undefined ? undefined : parseRealmName(query.realm);
    const usernamePrefix = parseUsernamePrefix(query.usernamePrefix);
    return this.accounts.listAccounts({
      ...(realm === undefined ? {} : { realm }),
      ...(usernamePrefix === undefined ? {} : { usernamePrefix }),
      ...(query.after === undefined ? {} : { after: query.after }),
      limit: query.limit,
    });
  }
}
