/** Recent sign-in failures of one throttle key (an account name or a client address). */
export interface ThrottleCounter {
  readonly failures: number;
  /** First failure of the current streak. */
  readonly firstFailureAt: number;
  readonly lastFailureAt: number;
  /** No attempt is admitted before this time. */
  readonly blockedUntil: number;
  /** From this time on the streak is forgotten, and the stored counter may be swept away. */
  readonly forgetAt: number;
}

export interface StoredThrottleCounter {
  readonly counter: ThrottleCounter;
  /** 1, 2, 3... for successive writes of the key; compare-and-set works on it. */
  readonly version: number;
}

/**
 * Persistence port for the sign-in throttle. Writes are compare-and-set on the version, so
 * concurrent attempts never lose a counted failure (LoginThrottle rereads and reapplies).
 */
export abstract class LoginThrottleStore {
  abstract loadCounter(key: string): Promise<StoredThrottleCounter | undefined>;

  /**
   * Stores `next` as version `expectedVersion + 1` (0 when the key had no counter). False,
   * writing nothing, when another attempt has already written that version.
   */
  abstract saveCounter(
    key: string,
    expectedVersion: number,
    next: ThrottleCounter,
  ): Promise<boolean>;
}
