import type { ThrottleCounter } from './login-throttle-store';
import { ThrottlePolicy } from './throttle-policy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const rule = {
  freeFailures: 3,
  firstDelayMs: SECOND,
  maxDelayMs: 15 * MINUTE,
  quietWindowMs: 60 * MINUTE,
};
const T0 = Date.UTC(2030, 0, 1);

/** Records `count` failures, each at the moment the previous block ends. */
function failRepeatedly(policy: ThrottlePolicy, count: number, start = T0) {
  let counter: ThrottleCounter | undefined;
  let now = start;
  for (let i = 0; i < count; i++) {
    now = Math.max(now, counter?.blockedUntil ?? now);
    counter = policy.afterFailure(counter, now);
  }
  return { counter: counter!, now };
}

describe('ThrottlePolicy', () => {
  const policy = new ThrottlePolicy(rule);

  it('lets the free failures through, then doubles the delay from the first delay', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => policy.delayAfter(n))).toEqual([
      0, 0, 0, 1000, 2000, 4000, 8000, 16000,
    ]);
  });

  it('caps the delay, for any number of failures', () => {
    expect(policy.delayAfter(13)).toBe(512 * SECOND);
    expect(policy.delayAfter(14)).toBe(15 * MINUTE); // 1024 s would pass the cap
    expect(policy.delayAfter(1_000_000)).toBe(15 * MINUTE);
  });

  it('blocks from the last failure for the delay its count earns', () => {
    const { counter, now } = failRepeatedly(policy, 5);
    expect(counter).toMatchObject({ failures: 5, firstFailureAt: T0, lastFailureAt: now });
    expect(counter.blockedUntil).toBe(now + 2 * SECOND);
    expect(policy.retryAfterMs(counter, now)).toBe(2 * SECOND);
    expect(policy.retryAfterMs(counter, now + 1500)).toBe(500);
    expect(policy.retryAfterMs(counter, now + 2 * SECOND)).toBe(0);
  });

  it('never blocks during the free failures', () => {
    const { counter, now } = failRepeatedly(policy, 3);
    expect(policy.retryAfterMs(counter, now)).toBe(0);
    expect(policy.retryAfterMs(policy.afterFailure(counter, now), now)).toBe(SECOND);
  });

  it('forgets a streak after the quiet window, counted from the end of the block', () => {
    const { counter } = failRepeatedly(policy, 20); // blocked for the full 15 minutes
    const forgotten = counter.blockedUntil + rule.quietWindowMs;
    expect(counter.forgetAt).toBe(forgotten);
    expect(policy.live(counter, forgotten - 1)).toBe(counter);
    expect(policy.afterFailure(counter, forgotten - 1).failures).toBe(21);
    expect(policy.live(counter, forgotten)).toBeUndefined();
    expect(policy.afterFailure(counter, forgotten)).toMatchObject({
      failures: 1,
      firstFailureAt: forgotten,
      blockedUntil: forgotten,
    });
  });

  it('does not forget a streak by waiting out a block longer than the quiet window', () => {
    const short = new ThrottlePolicy({ ...rule, quietWindowMs: MINUTE });
    const { counter } = failRepeatedly(short, 20);
    expect(counter.blockedUntil - counter.lastFailureAt).toBe(15 * MINUTE);
    expect(short.afterFailure(counter, counter.blockedUntil).failures).toBe(21);
  });

  it('takes one failure back without ever lengthening the block', () => {
    const { counter, now } = failRepeatedly(policy, 6);
    const fewer = policy.withoutOneFailure(counter, now)!;
    expect(fewer.failures).toBe(5);
    expect(fewer.blockedUntil).toBe(counter.lastFailureAt + 2 * SECOND);
    expect(fewer.blockedUntil).toBeLessThanOrEqual(counter.blockedUntil);
    expect(fewer.firstFailureAt).toBe(counter.firstFailureAt);
  });

  it('clears on taking back the only failure, and has nothing to take back from nothing', () => {
    const one = policy.afterFailure(undefined, T0);
    const cleared = policy.withoutOneFailure(one, T0 + 5)!;
    expect(cleared.failures).toBe(0);
    expect(policy.live(cleared, T0 + 5)).toBeUndefined();
    expect(policy.withoutOneFailure(undefined, T0)).toBeUndefined();
    expect(policy.withoutOneFailure(cleared, T0 + 6)).toBeUndefined();
  });

  it('resets completely when cleared: the next failure is the first of a new streak', () => {
    const { counter, now } = failRepeatedly(policy, 10);
    const cleared = policy.cleared(now);
    expect(policy.retryAfterMs(cleared, now)).toBe(0);
    expect(policy.afterFailure(cleared, now + 1)).toMatchObject({
      failures: 1,
      firstFailureAt: now + 1,
    });
    expect(counter.failures).toBe(10);
  });

  it('applies a larger free allowance, as for client addresses', () => {
    const perAddress = new ThrottlePolicy({ ...rule, freeFailures: 20 });
    const { counter, now } = failRepeatedly(perAddress, 20);
    expect(perAddress.retryAfterMs(counter, now)).toBe(0);
    const next = perAddress.afterFailure(counter, now);
    expect(perAddress.retryAfterMs(next, now)).toBe(SECOND);
    expect(
      perAddress.retryAfterMs(perAddress.afterFailure(next, next.blockedUntil), next.blockedUntil),
    ).toBe(2 * SECOND);
  });
});
