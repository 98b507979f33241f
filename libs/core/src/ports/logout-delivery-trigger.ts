/**
 * Told when logout notifications were recorded, so delivery can start at once instead of at
 * the dispatcher's next poll. Delivery does not depend on it: the poll finds them anyway.
 */
export abstract class LogoutDeliveryTrigger {
  abstract notificationsRecorded(): void;
}

/** For contexts with no dispatcher (tools, tests of the ending alone). */
export class NoLogoutDeliveryTrigger extends LogoutDeliveryTrigger {
  notificationsRecorded(): void {}
}
