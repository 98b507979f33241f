import type { DeliveryState } from '@tessera/core';
import { Schema } from 'mongoose';

export const OUTBOX_ENTRY_MODEL = 'LogoutOutboxEntry';

/** One back-channel logout and where its delivery stands (collection `logout_outbox`). */
export interface OutboxEntryDocument {
  /** `<session id>:<client id>`: recording twice inserts once. */
  _id: string;
  realm: string;
  clientId: string;
  backchannelLogoutUri: string;
  sessionId: string;
  subject: string;
  cause: string;
  createdAt: Date;
  deadline: Date;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  deliveredAt?: Date;
  /**
   * The first attempt's lease, taken by the instance that recorded the entry, in the same insert
   * (generation 0 of attempt 0, see DeliveryLeases); unset when an attempt is settled.
   */
  leaseOwner?: string;
  leaseUntil?: Date;
}

export const OutboxEntrySchema = new Schema<OutboxEntryDocument>(
  {
    _id: { type: String, required: true },
    realm: { type: String, required: true },
    clientId: { type: String, required: true },
    backchannelLogoutUri: { type: String, required: true },
    sessionId: { type: String, required: true },
    subject: { type: String, required: true },
    cause: { type: String, required: true },
    createdAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
    state: { type: String, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String },
    deliveredAt: { type: Date },
    leaseOwner: { type: String },
    leaseUntil: { type: Date },
  },
  { collection: 'logout_outbox', versionKey: false },
);

// The dispatcher asks for pending entries that are due; administrators count by state.
OutboxEntrySchema.index({ state: 1, nextAttemptAt: 1 });
// Administrators look up the notifications of the sessions they ended.
OutboxEntrySchema.index({ sessionId: 1 });
// Pruning deletes settled entries by age.
OutboxEntrySchema.index({ createdAt: 1 });
