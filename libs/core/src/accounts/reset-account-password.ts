import type { Clock } from '../clock';
import type { SecretHasher } from '../ports/secret-hasher';
import type { AccountStore } from './account-store';
import { changedOrGone, findNamedAccount } from './find-account';
import type { AccountSummary } from './local-account';
import type { PasswordRules } from './password-rules';
import { checkNewPassword, DEFAULT_PASSWORD_RULES } from './password-rules';

export interface ResetAccountPasswordCommand {
  readonly realm: unknown;
  readonly username: unknown;
  readonly password: unknown;
}

/**
 * Sets a new password on a local account (admin API), under the same rules as a new account.
 * The old password stops working at once; sessions already signed in are not ended here.
 */
export class ResetAccountPassword {
  constructor(
    private readonly accounts: AccountStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    private readonly rules: PasswordRules = DEFAULT_PASSWORD_RULES,
  ) {}

  /** Throws InvalidAccountInput or AccountNotFound before hashing anything. */
  async execute(command: ResetAccountPasswordCommand): Promise<AccountSummary> {
    const password = checkNewPassword(command.password, this.rules);
    const account = await findNamedAccount(this.accounts, command.realm, command.username);
    const passwordHash = await this.hasher.hash(password);
    const changed = await this.accounts.updateAccount(account.id, {
      passwordHash,
      at: this.clock.now(),
    });
    return changedOrGone(account, changed);
  }
}
