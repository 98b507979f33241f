import { Schema } from 'mongoose';

export const DELIVERY_LEASE_MODEL = 'LogoutDeliveryLease';

/**
 * One instance's lease on one attempt of one outbox entry (collection `logout_leases`).
 * `_id` is `<entry id>:<attempt>:<generation>`: taking a lease is a unique insert, atomic on
 * every server (FerretDB 1.x included) and cheap, so a whole fan-out is leased in one insert.
 * A lease past `until` belongs to an instance that died; the next one inserts generation + 1.
 * When an attempt is recorded, the marker `<entry id>:<attempt>:done` closes it for good, so an
 * instance that read the entry before it changed can never lease that attempt again.
 */
export interface DeliveryLeaseDocument {
  _id: string;
  entryId: string;
  /** The entry's `attempts` when leased: a settled attempt's lease can never be taken again. */
  attempt: number;
  generation: number;
  /** Absent on `done` markers. */
  owner?: string;
  /** The end of the lease; for a `done` marker, when the attempt was recorded. */
  until: Date;
  done?: boolean;
}

export const DeliveryLeaseSchema = new Schema<DeliveryLeaseDocument>(
  {
    _id: { type: String, required: true },
    entryId: { type: String, required: true },
    attempt: { type: Number, required: true },
    generation: { type: Number, required: true },
    owner: { type: String },
    until: { type: Date, required: true },
    done: { type: Boolean },
  },
  { collection: 'logout_leases', versionKey: false },
);

// Leasing looks up the leases of the due entries; pruning finds the old ones.
DeliveryLeaseSchema.index({ entryId: 1 });
DeliveryLeaseSchema.index({ until: 1 });
