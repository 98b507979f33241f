import { AccountNotFound } from './account-errors';
import type { AccountStore } from './account-store';
import type { LocalAccount } from './local-account';
import { parseRealmName } from './realm-name';
import { parseUsername } from './username';

/** The account an administrator named, after checking the names; throws AccountNotFound. */
export async function findNamedAccount(
  accounts: AccountStore,
  rawRealm: unknown,
  rawUsername: unknown,
): Promise<LocalAccount> {
  const realm = parseRealmName(rawRealm);
  const username = parseUsername(rawUsername);
  const account = await accounts.findByUsername(realm, username);
  if (!account) throw new AccountNotFound(realm, username);
  return account;
}

/** An account changed between the lookup and the write can only have been deleted. */
export function changedOrGone<T>(account: LocalAccount, changed: T | undefined): T {
  if (changed === undefined) throw new AccountNotFound(account.realm, account.username);
  return changed;
}
