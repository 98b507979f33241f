import { Schema } from 'mongoose';
import type { PrincipalDocument } from './principal.document';

export const PRINCIPAL_MODEL = 'Principal';

/**
 * Sessions and profile are free-form maps (their keys are ids and encoded names), so they are
 * declared as plain objects; their structure is owned by principal.mapper.ts.
 */
export const PrincipalSchema = new Schema<PrincipalDocument>(
  {
    _id: { type: String, required: true },
    realm: { type: String, required: true },
    subject: { type: String, required: true },
    profile: { type: Object, default: {} },
    profileRev: { type: Number, default: 0 },
    rev: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    lastActivityAt: { type: Date, required: true },
    sweepAfter: { type: Date },
    sessions: { type: Object, default: {} },
    liveUntil: { type: Date },
    openSessions: { type: Number },
    // Written whole or by $addToSet of `{ s, c }`, never cast: an untyped array.
    sessionApps: { type: Object },
    nameLower: { type: String },
  },
  { collection: 'principals', versionKey: false, minimize: false, strict: true },
);

// Sign-in finds the principal by realm + subject; the unique index also settles racing first sign-ins.
PrincipalSchema.index({ realm: 1, subject: 1 }, { unique: true });
// The expiry sweeper finds principals that need it by this field alone.
PrincipalSchema.index({ sweepAfter: 1 });

// The administrators' online list (docs/admin/sessions.md): newest activity first, keyset paging.
PrincipalSchema.index({ lastActivityAt: -1, _id: -1 });
// Counting the online principals: `liveUntil > now`.
PrincipalSchema.index({ liveUntil: 1 });
// The online list filtered by an app in use, in the list's order.
PrincipalSchema.index({ 'sessionApps.c': 1, lastActivityAt: -1, _id: -1 });
// Anchored prefix searches by subject (across realms) and by lower-cased name.
PrincipalSchema.index({ subject: 1 });
PrincipalSchema.index({ nameLower: 1 });
