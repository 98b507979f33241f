import type { Clock } from '../clock';
import type { AccountStore } from './account-store';
import { changedOrGone, findNamedAccount } from './find-account';
import type { AccountSummary } from './local-account';

export interface SetAccountEnabledCommand {
  readonly realm: unknown;
  readonly username: unknown;
  readonly enabled: boolean;
}

/**
 * Disables or enables a local account (admin API). A disabled account fails every sign-in with
 * the same answer as a wrong password; sessions it already has are not ended here.
 */
export class SetAccountEnabled {
  constructor(
    private readonly accounts: AccountStore,
    private readonly clock: Clock,
  ) {}

  /** Throws InvalidAccountInput or AccountNotFound. Setting the current state again is allowed. */
  async execute(command: SetAccountEnabledCommand): Promise<AccountSummary> {
    const account = await findNamedAccount(this.accounts, command.realm, command.username);
    const changed = await this.accounts.updateAccount(account.id, {
      disabled: !command.enabled,
      at: this.clock.now(),
    });
    return changedOrGone(account, changed);
  }
}
