import type { LogoutDeliverySettings } from './delivery-settings';
import {
  decideAfterAttempt,
  deliveryDeadline,
  giveUpUnsent,
  isPastDeadline,
  retryDelayMs,
} from './delivery-rules';

const settings: LogoutDeliverySettings = {
  dispatchIntervalMs: 1000,
  parallelism: 8,
  leaseMs: 30_000,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
  requestTimeoutMs: 5000,
  maxDeliveryMs: 3_600_000,
  retentionMs: 7 * 86_400_000,
};
const T0 = Date.UTC(2030, 0, 1);
const notification = { createdAt: T0, deadline: T0 + 600_000 };

describe('logout delivery rules', () => {
  it('doubles the wait after each failure, up to the cap', () => {
    const waits = [1, 2, 3, 4, 7, 8, 1000].map((n) => retryDelayMs(n, settings, 0.5));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });

  it('jitters by a quarter either way', () => {
    expect(retryDelayMs(2, settings, 0)).toBe(1500);
    expect(retryDelayMs(2, settings, 0.999999)).toBe(2500);
  });

  it('stops at the notification deadline or the configured maximum, whichever is first', () => {
    expect(deliveryDeadline(notification, settings)).toBe(T0 + 600_000);
    expect(deliveryDeadline(notification, { maxDeliveryMs: 5000 })).toBe(T0 + 5000);
    expect(isPastDeadline(notification, settings, T0 + 599_999)).toBe(false);
    expect(isPastDeadline(notification, settings, T0 + 600_000)).toBe(true);
  });

  it('records a success as delivered, counting the attempt', () => {
    expect(decideAfterAttempt(notification, 2, { ok: true }, T0 + 10, settings, 0.5)).toEqual({
      state: 'delivered',
      attempts: 3,
      deliveredAt: T0 + 10,
    });
  });

  it('schedules a retry after a failure, with the error', () => {
    const failed = { ok: false, error: 'HTTP 500' } as const;
    expect(decideAfterAttempt(notification, 0, failed, T0, settings, 0.5)).toEqual({
      state: 'pending',
      attempts: 1,
      nextAttemptAt: T0 + 1000,
      lastError: 'HTTP 500',
    });
  });

  it('gives up when the next attempt would come after the deadline', () => {
    const failed = { ok: false, error: 'connection refused' } as const;
    expect(decideAfterAttempt(notification, 5, failed, T0 + 599_500, settings, 0.5)).toEqual({
      state: 'given_up',
      attempts: 6,
      lastError: 'connection refused',
    });
    expect(giveUpUnsent(3, 'HTTP 503')).toEqual({
      state: 'given_up',
      attempts: 3,
      lastError: 'HTTP 503',
    });
  });
});
