import type { DeliveryDecision, DeliveryState } from '../logout/delivery-state';
import type { LogoutNotification } from '../logout/logout-notification';

/** A notification one dispatcher instance holds until `leaseUntil`. */
export interface LeasedNotification {
  readonly notification: LogoutNotification;
  readonly attempts: number;
  readonly lastError?: string;
  readonly leaseUntil: number;
}

/**
 * The lease of the first attempt, taken in the very insert that records the notifications, so
 * the instance that records them can send them without another write first.
 */
export interface FirstAttemptLease {
  readonly owner: string;
  readonly until: number;
  /** The notifications it covers: as many as the owner has room to send at once. */
  readonly ids: ReadonlySet<string>;
}

/** A delivery's outcome, to be recorded on the entry it leased. */
export interface Settlement {
  readonly leased: LeasedNotification;
  readonly decision: DeliveryDecision;
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
  /**
   * Answers the notifications recorded now, leaving out those that were there already. Those
   * `lease` covers are recorded leased to its owner; a notification already recorded keeps
   * whatever state and lease it had.
   */
  abstract record(
    notifications: readonly LogoutNotification[],
    lease?: FirstAttemptLease,
  ): Promise<LogoutNotification[]>;

  /**
   * Leases up to `limit` pending notifications that are due at `now` and have no live lease, to
   * `owner` until `now + leaseMs`. Two instances never both win one; a lease past its time is
   * taken over. Answers those it won.
   */
  abstract leaseDue(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<LeasedNotification[]>;

  /**
   * Records the outcomes of leased attempts and closes those attempts for good. The caller must
   * still hold each lease, with time to spare: nothing else keeps another writer away. Answers
   * the ones not recorded because their entry is gone.
   */
  abstract settle(
    settlements: readonly Settlement[],
    now: number,
  ): Promise<readonly LeasedNotification[]>;

  /**
   * Deletes what is no longer needed: leases that ended long ago, and notifications delivered
   * or given up whose session ended before `settledBefore`. Answers how many of each went.
   */
  abstract prune(now: number, settledBefore: number): Promise<{ leases: number; entries: number }>;

  /** The notifications of these session ids, whatever their state (for administrators). */
  abstract statusOfSessions(sessionIds: readonly string[]): Promise<NotificationStatus[]>;

  /** How many notifications are in each state (for administrators). */
  abstract countByState(): Promise<Record<DeliveryState, number>>;
}
