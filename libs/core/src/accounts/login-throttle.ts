import type { Clock } from '../clock';
import { ConcurrentUpdateConflict } from '../errors';
import { LOST_RACE, retryOptimistically } from '../use-cases/optimistic-retry';
import { TooManyLoginAttempts } from './account-errors';
import type {
  LoginThrottleStore,
  StoredThrottleCounter,
  ThrottleCounter,
} from './login-throttle-store';
import type { ThrottleRule } from './throttle-policy';
import { ThrottlePolicy } from './throttle-policy';
import { accountThrottleKey, addressThrottleKey } from './throttle-keys';

export interface LoginThrottleSettings {
  readonly perAccount: ThrottleRule;
  readonly perAddress: ThrottleRule;
  /** Compare-and-set rounds on one counter before an attempt is refused as part of a flood. */
  readonly maxWriteAttempts: number;
}

const MINUTE = 60_000;

/** Per account: 3 free failures, then 1 s, 2 s, 4 s ... 15 min. Per address: 20 free. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  perAccount: {
    freeFailures: 3,
    firstDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
    quietWindowMs: 60 * MINUTE,
  },
  perAddress: {
    freeFailures: 20,
    firstDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
    quietWindowMs: 60 * MINUTE,
  },
  maxWriteAttempts: 20,
};

export interface ThrottleTarget {
  readonly kind: 'account' | 'address';
  readonly key: string;
  readonly policy: ThrottlePolicy;
}

type Step = ThrottleCounter | { readonly blockedForMs: number } | undefined;
type Outcome = 'saved' | 'unchanged' | 'contended' | { readonly blockedForMs: number };

/**
 * Rate-limits sign-in per account name and per client address. `admit` counts the attempt as a
 * failure before the password is checked: checking first and counting after the (slow) hash
 * would let a burst of parallel attempts all pass one check. A successful attempt then clears
 * the account's counter and takes its own count back from the address.
 */
export class LoginThrottle {
  private readonly perAccount: ThrottlePolicy;
  private readonly perAddress: ThrottlePolicy;

  constructor(
    private readonly store: LoginThrottleStore,
    private readonly clock: Clock,
    private readonly settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
  ) {
    this.perAccount = new ThrottlePolicy(settings.perAccount);
    this.perAddress = new ThrottlePolicy(settings.perAddress);
  }

  /** The keys an attempt counts against: the name typed (when it can be one) and the address. */
  targets(
    realm: string,
    username: string | undefined,
    clientIp: string | undefined,
  ): ThrottleTarget[] {
    const targets: ThrottleTarget[] = [];
    if (username !== undefined) {
      targets.push({
        kind: 'account',
        key: accountThrottleKey(realm, username),
        policy: this.perAccount,
      });
    }
    if (clientIp) {
      targets.push({ kind: 'address', key: addressThrottleKey(clientIp), policy: this.perAddress });
    }
    return targets;
  }

  /**
   * Admits the attempt and counts it as a failure on every target, or throws
   * TooManyLoginAttempts having counted nothing. A blocked key costs reads only.
   */
  async admit(targets: readonly ThrottleTarget[]): Promise<void> {
    const now = this.clock.now();
    const loaded = await Promise.all(targets.map((t) => this.store.loadCounter(t.key)));
    const waits = targets.map((t, i) => t.policy.retryAfterMs(loaded[i]?.counter, now));
    if (Math.max(0, ...waits) > 0) throw new TooManyLoginAttempts(Math.max(...waits));

    const counted: ThrottleTarget[] = [];
    for (const [i, target] of targets.entries()) {
      const outcome = await this.change(
        target.key,
        (counter) => {
          const blockedForMs = target.policy.retryAfterMs(counter, now);
          return blockedForMs > 0 ? { blockedForMs } : target.policy.afterFailure(counter, now);
        },
        { stored: loaded[i] },
      );
      if (outcome === 'saved') {
        counted.push(target);
        continue;
      }
      // Another attempt got in first and blocked the key, or the key is flooded: fail closed.
      await this.takeBack(counted, now);
      throw new TooManyLoginAttempts(
        typeof outcome === 'object' ? outcome.blockedForMs : target.policy.rule.firstDelayMs,
      );
    }
  }

  /** After a right password: the account starts afresh; the address keeps its other failures. */
  async succeeded(targets: readonly ThrottleTarget[]): Promise<void> {
    const now = this.clock.now();
    for (const target of targets) {
      if (target.kind === 'account') {
        await this.change(target.key, (counter) =>
          target.policy.live(counter, now) ? target.policy.cleared(now) : undefined,
        );
      } else {
        await this.takeBack([target], now);
      }
    }
  }

  private async takeBack(targets: readonly ThrottleTarget[], now: number): Promise<void> {
    for (const target of targets) {
      await this.change(target.key, (counter) => target.policy.withoutOneFailure(counter, now));
    }
  }

  /**
   * Applies `step` to the key's current counter by compare-and-set, rereading after a lost race
   * so every attempt's change lands exactly once. A counter still contended after
   * `maxWriteAttempts` rounds is under a flood.
   */
  private async change(
    key: string,
    step: (counter: ThrottleCounter | undefined) => Step,
    preloaded?: { readonly stored: StoredThrottleCounter | undefined },
  ): Promise<Outcome> {
    let current = preloaded ? preloaded.stored : await this.store.loadCounter(key);
    let reread = false;
    try {
      return await retryOptimistically<Outcome>(this.settings.maxWriteAttempts, async () => {
        if (reread) current = await this.store.loadCounter(key);
        reread = true;
        const next = step(current?.counter);
        if (next === undefined) return 'unchanged';
        if ('blockedForMs' in next) return next;
        const saved = await this.store.saveCounter(key, current?.version ?? 0, next);
        return saved ? 'saved' : LOST_RACE;
      });
    } catch (error) {
      if (error instanceof ConcurrentUpdateConflict) return 'contended';
      throw error;
    }
  }
}
