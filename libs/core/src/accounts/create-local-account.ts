import type { Clock } from '../clock';
import type { SecretHasher } from '../ports/secret-hasher';
import type { RandomSource } from '../random';
import { randomId } from '../random';
import { InvalidAccountInput } from './account-errors';
import type { AccountProfileInput } from './account-profile';
import { parseProfile } from './account-profile';
import type { AccountStore } from './account-store';
import type { AccountSummary, LocalAccount } from './local-account';
import { summarizeAccount } from './local-account';
import type { PasswordRules } from './password-rules';
import { checkNewPassword, checkPasswordHash, DEFAULT_PASSWORD_RULES } from './password-rules';
import { parseRealmName } from './realm-name';
import { parseUsername } from './username';

/** Untrusted input (CLI arguments, a bootstrap file): every field is checked at run time. */
export interface CreateLocalAccountCommand extends AccountProfileInput {
  readonly realm: unknown;
  readonly username: unknown;
  /** Exactly one of `password` (hashed here) and `passwordHash` (an argon2id hash made elsewhere). */
  readonly password?: unknown;
  readonly passwordHash?: unknown;
}

export interface NewAccount {
  readonly realm: string;
  readonly username: string;
  readonly secret: { readonly password: string } | { readonly passwordHash: string };
  readonly profile: Record<string, string>;
}

/** Checks a command without touching the store, so a CLI can fail fast before connecting. */
export function parseNewAccount(
  command: CreateLocalAccountCommand,
  rules: PasswordRules = DEFAULT_PASSWORD_RULES,
): NewAccount {
  const realm = parseRealmName(command.realm);
  const username = parseUsername(command.username);
  const hasPassword = command.password !== undefined;
  if (hasPassword === (command.passwordHash !== undefined)) {
    throw new InvalidAccountInput('password', 'give exactly one of password and passwordHash');
  }
  const secret = hasPassword
    ? { password: checkNewPassword(command.password, rules) }
    : { passwordHash: checkPasswordHash(command.passwordHash) };
  return { realm, username, secret, profile: parseProfile(command) };
}

/** Creates a local account (CLI, start-up bootstrap, admin API). Never overwrites one. */
export class CreateLocalAccount {
  constructor(
    private readonly accounts: AccountStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly rules: PasswordRules = DEFAULT_PASSWORD_RULES,
  ) {}

  /** Throws InvalidAccountInput, or AccountAlreadyExists leaving the existing account as it was. */
  async execute(command: CreateLocalAccountCommand): Promise<AccountSummary> {
    const { realm, username, secret, profile } = parseNewAccount(command, this.rules);
    const passwordHash =
      'password' in secret ? await this.hasher.hash(secret.password) : secret.passwordHash;
    const now = this.clock.now();
    const account: LocalAccount = {
      id: randomId(this.random, 16),
      realm,
      username,
      passwordHash,
      profile,
      disabled: false,
      createdAt: now,
      updatedAt: now,
      passwordChangedAt: now,
    };
    await this.accounts.createAccount(account);
    return summarizeAccount(account);
  }
}
