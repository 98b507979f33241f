import type { ThrottleCounter } from './login-throttle-store';

export interface ThrottleRule {
  /** Failures allowed without any delay. */
  readonly freeFailures: number;
  /** The delay after the first failure beyond the free ones; each further failure doubles it. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** A streak is forgotten after this long without failures, counted from the end of its block. */
  readonly quietWindowMs: number;
}

/**
 * Growing delays for one throttle key, as pure arithmetic on a counter and the time. Invariant:
 * `blockedUntil = lastFailureAt + delayAfter(failures)`, `forgetAt = blockedUntil + quietWindow`.
 * The quiet window starts when the block ends, so waiting out a long block never resets a
 * streak by itself.
 */
export class ThrottlePolicy {
  constructor(readonly rule: ThrottleRule) {}

  /** How long the key is blocked once it has this many failures. */
  delayAfter(failures: number): number {
    const beyond = failures - this.rule.freeFailures;
    if (beyond <= 0) return 0;
    // The exponent is capped so that the arithmetic stays finite for any count.
    return Math.min(this.rule.firstDelayMs * 2 ** Math.min(beyond - 1, 52), this.rule.maxDelayMs);
  }

  /** The counter as it stands at `now`: undefined when there is none, it was cleared, or it was forgotten. */
  live(counter: ThrottleCounter | undefined, now: number): ThrottleCounter | undefined {
    return counter && counter.failures > 0 && now < counter.forgetAt ? counter : undefined;
  }

  /** 0 when an attempt may go ahead, else how long it must wait. */
  retryAfterMs(counter: ThrottleCounter | undefined, now: number): number {
    const live = this.live(counter, now);
    return live ? Math.max(0, live.blockedUntil - now) : 0;
  }

  afterFailure(counter: ThrottleCounter | undefined, now: number): ThrottleCounter {
    const live = this.live(counter, now);
    return this.counter(
      (live?.failures ?? 0) + 1,
      live?.firstFailureAt ?? now,
      Math.max(now, live?.lastFailureAt ?? now),
    );
  }

  /** One failure fewer (an attempt counted in advance that turned out fine); undefined when there is nothing to take back. */
  withoutOneFailure(
    counter: ThrottleCounter | undefined,
    now: number,
  ): ThrottleCounter | undefined {
    const live = this.live(counter, now);
    if (!live) return undefined;
    if (live.failures === 1) return this.cleared(now);
    return this.counter(live.failures - 1, live.firstFailureAt, live.lastFailureAt);
  }

  /** No failures; forgotten at once, so the sweeper may delete it. */
  cleared(now: number): ThrottleCounter {
    return {
      failures: 0,
      firstFailureAt: now,
      lastFailureAt: now,
      blockedUntil: now,
      forgetAt: now,
    };
  }

  private counter(
    failures: number,
    firstFailureAt: number,
    lastFailureAt: number,
  ): ThrottleCounter {
    const blockedUntil = lastFailureAt + this.delayAfter(failures);
    return {
      failures,
      firstFailureAt,
      lastFailureAt,
      blockedUntil,
      forgetAt: blockedUntil + this.rule.quietWindowMs,
    };
  }
}
