import type { LogoutNotification } from '../logout/logout-notification';
import type { FirstAttemptLease } from './logout-outbox';

/** Records notifications in the outbox, under the lease given if any; answers the new ones. */
export type RecordNotifications = (
  lease: FirstAttemptLease | undefined,
) => Promise<LogoutNotification[]>;

/**
 * Starts the delivery of logout notifications as they are recorded, instead of at the
 * dispatcher's next poll: the recording instance leases their first attempt in the insert that
 * records them and sends them straight from memory. Delivery does not depend on it: the poll
 * finds whatever is recorded.
 */
export abstract class LogoutDeliveryTrigger {
  /**
   * Runs `record`, offering it the lease of the first attempt of as many notifications as this
   * instance can send at once, then starts those that were new. Answers what `record` answered.
   */
  abstract recordAndStart(
    notifications: readonly LogoutNotification[],
    record: RecordNotifications,
  ): Promise<LogoutNotification[]>;
}

/** For contexts with no dispatcher (tools, tests of the ending alone): recording only. */
export class NoLogoutDeliveryTrigger extends LogoutDeliveryTrigger {
  recordAndStart(
    _notifications: readonly LogoutNotification[],
    record: RecordNotifications,
  ): Promise<LogoutNotification[]> {
    return record(undefined);
  }
}
