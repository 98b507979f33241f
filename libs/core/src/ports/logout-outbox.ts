import type { LogoutNotification } from '../logout/logout-notification';

/**
 * The durable outbox of back-channel logouts. Recording is idempotent by notification id, so
 * completing the same session end twice (after a crash, or by two instances) records each
 * notification once. The dispatcher that delivers them reads the same store.
 */
export abstract class LogoutOutbox {
  abstract record(notifications: readonly LogoutNotification[]): Promise<void>;
}
