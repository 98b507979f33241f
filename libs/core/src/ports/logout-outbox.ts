import type { DeliveryDecision, DeliveryState } from '../logout/delivery-state';
import type { LogoutNotification } from '../logout/logout-notification';

/** A notification one dispatcher instance holds until `leaseUntil`; `version` guards its record. */
export interface LeasedNotification {
  readonly notification: LogoutNotification;
  readonly attempts: number;
  readonly lastError?: string;
  readonly leaseUntil: number;
  readonly version: number;
}

/** Where one notification stands, for administrators. */
export interface NotificationStatus {
  readonly id: string;
  readonly clientId: string;
  readonly sessionId: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly lastError?: string;
  readonly deliveredAt?: number;
  readonly nextAttemptAt?: number;
}

/**
 * The durable outbox of back-channel logouts. Recording is idempotent by notification id, so
 * completing the same session end twice (after a crash, or by two instances) records each
 * notification once. The dispatcher delivers them through the lease methods below, which let
 * several instances share the outbox without sending one notification twice at once.
 */
export abstract class LogoutOutbox {
  abstract record(notifications: readonly LogoutNotification[]): Promise<void>;

  /**
   * Leases up to `limit` pending notifications that are due at `now` and whose lease is free or
   * expired, to `owner` until `now + leaseMs`, each by compare-and-set. Answers those it won.
   */
  abstract leaseDue(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<LeasedNotification[]>;

  /**
   * Records the outcome and releases the lease, only if `owner` still holds it at the leased
   * version. Answers false when another instance took it over meanwhile.
   */
  abstract settle(
    leased: LeasedNotification,
    owner: string,
    decision: DeliveryDecision,
  ): Promise<boolean>;

  /** The notifications of these session ids, whatever their state (for administrators). */
  abstract statusOfSessions(sessionIds: readonly string[]): Promise<NotificationStatus[]>;

  /** How many notifications are in each state (for administrators). */
  abstract countByState(): Promise<Record<DeliveryState, number>>;
}
