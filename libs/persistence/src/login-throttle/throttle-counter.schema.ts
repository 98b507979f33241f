import { Schema } from 'mongoose';

export const THROTTLE_COUNTER_MODEL = 'ThrottleCounter';

/** One throttle key's counter in `login_throttle`; `_id` is the key (`account:<realm>:<username>`, `address:<ip>`). */
export interface ThrottleCounterDocument {
  _id: string;
  /** Compare-and-set guard: +1 on every write. */
  version: number;
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  blockedUntil: Date;
  forgetAt: Date;
}

export const ThrottleCounterSchema = new Schema<ThrottleCounterDocument>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    failures: { type: Number, required: true },
    firstFailureAt: { type: Date, required: true },
    lastFailureAt: { type: Date, required: true },
    blockedUntil: { type: Date, required: true },
    forgetAt: { type: Date, required: true },
  },
  { collection: 'login_throttle', versionKey: false, strict: true },
);

// The sweeper deletes forgotten counters by this field.
ThrottleCounterSchema.index({ forgetAt: 1 });
