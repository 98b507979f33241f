import type { LogoutDeliverySettings } from './delivery-settings';
import type { DeliveryAttempt, DeliveryDecision } from './delivery-state';
import type { LogoutNotification } from './logout-notification';

/** The jitter spreads retries by ±25 %, so receivers that failed together do not retry together. */
const JITTER = 0.25;

/**
 * The wait before the next attempt, after `failedAttempts` failures (1 or more): base·2^(n-1),
 * capped, then jittered. `random01` is in [0, 1) and injected so tests can pin it.
 */
export function retryDelayMs(
  failedAttempts: number,
  settings: Pick<LogoutDeliverySettings, 'backoffBaseMs' | 'backoffCapMs'>,
  random01: number,
): number {
  // The exponent is capped so that the arithmetic stays finite for any count.
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 52);
  const delay = Math.min(settings.backoffBaseMs * 2 ** exponent, settings.backoffCapMs);
  return Math.max(0, Math.round(delay * (1 - JITTER + 2 * JITTER * random01)));
}

/**
 * When delivery becomes pointless: the notification's own deadline (no app can still hold the
 * session), or the configured maximum after the end, whichever comes first.
 */
export function deliveryDeadline(
  notification: Pick<LogoutNotification, 'createdAt' | 'deadline'>,
  settings: Pick<LogoutDeliverySettings, 'maxDeliveryMs'>,
): number {
  return Math.min(notification.deadline, notification.createdAt + settings.maxDeliveryMs);
}

/** A notification leased after its deadline is given up without sending. */
export function isPastDeadline(
  notification: Pick<LogoutNotification, 'createdAt' | 'deadline'>,
  settings: Pick<LogoutDeliverySettings, 'maxDeliveryMs'>,
  now: number,
): boolean {
  return now >= deliveryDeadline(notification, settings);
}

/**
 * The state after one attempt: delivered; or pending again after a backoff; or given up when
 * the next attempt would fall after the deadline (it could not be sent in time anyway).
 */
export function decideAfterAttempt(
  notification: Pick<LogoutNotification, 'createdAt' | 'deadline'>,
  previousAttempts: number,
  attempt: DeliveryAttempt,
  now: number,
  settings: LogoutDeliverySettings,
  random01: number,
): DeliveryDecision {
  const attempts = previousAttempts + 1;
  if (attempt.ok) return { state: 'delivered', attempts, deliveredAt: now };
  const nextAttemptAt = now + retryDelayMs(attempts, settings, random01);
  if (nextAttemptAt >= deliveryDeadline(notification, settings)) {
    return { state: 'given_up', attempts, lastError: attempt.error };
  }
  return { state: 'pending', attempts, nextAttemptAt, lastError: attempt.error };
}

/** The record for a notification found past its deadline before it could be sent again. */
export function giveUpUnsent(previousAttempts: number, lastError?: string): DeliveryDecision {
  return {
    state: 'given_up',
    attempts: previousAttempts,
    lastError: lastError ?? 'delivery deadline passed before an attempt',
  };
}
