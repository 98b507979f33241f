import { Schema } from 'mongoose';

export const ADMIN_TOKEN_MODEL = 'AdminToken';

/** An admin API token in `admin_tokens`; `_id` is the token's id, the validator only as a hash. */
export interface AdminTokenDocument {
  _id: string;
  name: string;
  scopes: string[];
  /** SHA-256 of the validator, base64url. */
  validatorHash: string;
  createdAt: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
}

export const AdminTokenSchema = new Schema<AdminTokenDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    scopes: { type: [String], required: true },
    validatorHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date },
    lastUsedAt: { type: Date },
  },
  { collection: 'admin_tokens', versionKey: false, strict: true },
);

// The newest-first listing pages through this index by keyset (createdAt, _id).
AdminTokenSchema.index({ createdAt: -1, _id: -1 });
