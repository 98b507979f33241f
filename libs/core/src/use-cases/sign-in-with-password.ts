import { InvalidCredentials, TooManyLoginAttempts } from '../accounts/account-errors';
import type { AccountStore } from '../accounts/account-store';
import type { LocalAccount } from '../accounts/local-account';
import { localSubject } from '../accounts/local-account';
import type { LoginEvent, LoginEventSink, LoginFailureReason } from '../accounts/login-events';
import { IgnoreLoginEvents } from '../accounts/login-events';
import type { LoginThrottleSettings } from '../accounts/login-throttle';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle } from '../accounts/login-throttle';
import type { LoginThrottleStore } from '../accounts/login-throttle-store';
import { DEFAULT_PASSWORD_RULES } from '../accounts/password-rules';
import { signInUsername } from '../accounts/username';
import type { Clock } from '../clock';
import type { SecretHasher } from '../ports/secret-hasher';

export interface SignInWithPasswordCommand {
  readonly realm: string;
  readonly username: string;
  readonly password: string;
  /** The client's address; attempts are also throttled per address when it is known. */
  readonly clientIp?: string;
}

export interface PasswordSignIn {
  /** `local:<account id>`: stable even when the username changes. */
  readonly subject: string;
  readonly profile: Record<string, string>;
}

/** Distributes over the union, so each event kind keeps its own fields. */
type Untimed<T> = T extends unknown ? Omit<T, 'at'> : never;

type Failure = { readonly reason: LoginFailureReason } | { readonly account: LocalAccount };

/**
 * Signs a user in with a local account's password. The throttle comes first and refuses without
 * looking at the password. Then exactly one slow hash runs, against a dummy hash when there is
 * no such account, and unknown user, wrong password and disabled account all fail with the same
 * InvalidCredentials, so neither the answer nor its timing tells which usernames exist.
 */
export class SignInWithPassword {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly accounts: AccountStore,
    throttleStore: LoginThrottleStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
    private readonly events: LoginEventSink = new IgnoreLoginEvents(),
  ) {
    this.throttle = new LoginThrottle(throttleStore, clock, settings);
  }

  async execute(command: SignInWithPasswordCommand): Promise<PasswordSignIn> {
    const username =
      typeof command.username === 'string' ? signInUsername(command.username) : undefined;
    const who = {
      realm: command.realm,
      ...(username === undefined ? {} : { username }),
      ...(command.clientIp ? { clientIp: command.clientIp } : {}),
    };
    const targets = this.throttle.targets(command.realm, username, command.clientIp);
    try {
      await this.throttle.admit(targets);
    } catch (error) {
      if (error instanceof TooManyLoginAttempts) {
        await this.emit({ ...who, type: 'login.throttled', retryAfterMs: error.retryAfterMs });
      }
      throw error;
    }

    const outcome = await this.check(command.realm, username, command.password);
    if ('reason' in outcome) {
      await this.emit({ ...who, type: 'login.failed', reason: outcome.reason });
      throw new InvalidCredentials();
    }
    const { account } = outcome;
    await this.throttle.succeeded(targets);
    const subject = localSubject(account);
    await this.emit({ ...who, type: 'login.succeeded', subject });
    return { subject, profile: { ...account.profile, username: account.username } };
  }

  private async check(
    realm: string,
    username: string | undefined,
    password: unknown,
  ): Promise<Failure> {
    const usable = typeof password === 'string' && acceptableLength(password);
    const account =
      username !== undefined && usable
        ? await this.accounts.findByUsername(realm, username)
        : undefined;
    // Always exactly one slow hash; an unusable password is not hashed at its full length.
    const matches = await this.hasher.verify(account?.passwordHash, usable ? password : '');
    if (!account) return { reason: username && usable ? 'unknown_user' : 'invalid_input' };
    if (!matches) return { reason: 'wrong_password' };
    if (account.disabled) return { reason: 'account_disabled' };
    return { account };
  }

  private emit(event: Untimed<LoginEvent>): Promise<void> {
    return this.events.record({ ...event, at: this.clock.now() });
  }
}

function acceptableLength(password: string): boolean {
  const max = DEFAULT_PASSWORD_RULES.maxLength;
  return password.length > 0 && password.length <= 2 * max && [...password].length <= max;
}
