import type { LogoutNotification } from '../logout/logout-notification';

/**
 * Told which logout notifications were just recorded for the first time, so delivery can start
 * at once with them in hand, instead of at the dispatcher's next poll. Delivery does not depend
 * on it: the poll finds them anyway.
 */
export abstract class LogoutDeliveryTrigger {
  abstract notificationsRecorded(recorded: readonly LogoutNotification[]): void;
}

/** For contexts with no dispatcher (tools, tests of the ending alone). */
export class NoLogoutDeliveryTrigger extends LogoutDeliveryTrigger {
  notificationsRecorded(): void {}
}
