/** Where the delivery of one logout notification stands. */
export type DeliveryState = 'pending' | 'delivered' | 'given_up';

export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivered', 'given_up'];

/** What one POST of a logout token gave: only 200 and 204 count as delivered. */
export type DeliveryAttempt =
  { readonly ok: true } | { readonly ok: false; readonly error: string };

/** What the dispatcher records after an attempt (or instead of one, past the deadline). */
export type DeliveryDecision =
  | { readonly state: 'delivered'; readonly attempts: number; readonly deliveredAt: number }
  | {
      readonly state: 'pending';
      readonly attempts: number;
      readonly nextAttemptAt: number;
      readonly lastError: string;
    }
  | { readonly state: 'given_up'; readonly attempts: number; readonly lastError: string };
