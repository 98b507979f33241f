/** How the dispatcher delivers back-channel logouts (validated in apps/sso-server/src/config). */
export interface LogoutDeliverySettings {
  /** How often each instance looks for due notifications. */
  readonly dispatchIntervalMs: number;
  /** Deliveries in flight at once on one instance. */
  readonly parallelism: number;
  /** How long a leased notification belongs to its instance; longer than a request may take. */
  readonly leaseMs: number;
  /** The first retry waits about this long; each further failure doubles it, up to the cap. */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** One POST, connection included, is abandoned after this long. */
  readonly requestTimeoutMs: number;
  /** Delivery stops this long after the end, or at the notification's own deadline if sooner. */
  readonly maxDeliveryMs: number;
  /** Delivered and given-up notifications are deleted this long after the end. */
  readonly retentionMs: number;
}
