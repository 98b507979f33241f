import { Schema } from 'mongoose';

export const REVISION_CLAIM_MODEL = 'RevisionClaim';

/** `_id` is `<principal id>:<rev>:<generation>`; inserting it is the atomic step on every server. */
export interface RevisionClaimDocument {
  _id: string;
  principalId: string;
  rev: number;
  generation: number;
  claimedAt: Date;
}

export const RevisionClaimSchema = new Schema<RevisionClaimDocument>(
  {
    _id: { type: String, required: true },
    principalId: { type: String, required: true },
    rev: { type: Number, required: true },
    generation: { type: Number, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'principal_claims', versionKey: false },
);

RevisionClaimSchema.index({ principalId: 1, rev: 1 });
