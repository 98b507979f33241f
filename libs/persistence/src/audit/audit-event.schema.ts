import { Schema } from 'mongoose';

export const AUDIT_EVENT_MODEL = 'AuditEvent';

/** One audit event in `audit_log`; `_id` is the event id. */
export interface AuditEventDocument {
  _id: string;
  at: Date;
  type: string;
  realm?: string;
  principalId?: string;
  subject?: string;
  sessionId?: string;
  clientId?: string;
  clientIp?: string;
  details: Record<string, unknown>;
}

export const AuditEventSchema = new Schema<AuditEventDocument>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    type: { type: String, required: true },
    realm: { type: String },
    principalId: { type: String },
    subject: { type: String },
    sessionId: { type: String },
    clientId: { type: String },
    clientIp: { type: String },
    details: { type: Object, default: {} },
  },
  { collection: 'audit_log', versionKey: false, minimize: false, strict: true },
);

// Every listing is newest first by (at, _id), so each filter has an index ending in that order:
// the unfiltered list and time ranges, by principal, by realm + subject, by type. The type index
// also serves the statistics' per-type counts since a time, and the cause index the session ends
// per cause. No TTL index: FerretDB 1.x refuses one, so the retention sweeper deletes old events.
AuditEventSchema.index({ at: -1, _id: -1 });
AuditEventSchema.index({ principalId: 1, at: -1, _id: -1 });
AuditEventSchema.index({ realm: 1, subject: 1, at: -1, _id: -1 });
AuditEventSchema.index({ type: 1, at: -1, _id: -1 });
AuditEventSchema.index({ type: 1, 'details.cause': 1, at: -1 });
