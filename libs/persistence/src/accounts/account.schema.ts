import { Schema } from 'mongoose';

export const ACCOUNT_MODEL = 'Account';

/** A local account in the `accounts` collection; `_id` is the account id (docs/accounts.md). */
export interface AccountDocument {
  _id: string;
  realm: string;
  /** Normalised (libs/core accounts/username.ts). */
  username: string;
  passwordHash: string;
  /** Only the fields of ACCOUNT_PROFILE_FIELDS, whose names are safe as field names. */
  profile: Record<string, string>;
  disabled: boolean;
  createdAt: Date;
  /** Absent on accounts stored before administrators could change them: read as createdAt. */
  updatedAt?: Date;
  passwordChangedAt?: Date;
  /** Compare-and-set guard of changes: +1 each (absent: 0). */
  rev?: number;
}

export const AccountSchema = new Schema<AccountDocument>(
  {
    _id: { type: String, required: true },
    realm: { type: String, required: true },
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    profile: { type: Object, default: {} },
    disabled: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date },
    passwordChangedAt: { type: Date },
    rev: { type: Number },
  },
  { collection: 'accounts', versionKey: false, minimize: false, strict: true },
);

// Sign-in looks accounts up by realm + username, listings page through it in (realm, username)
// order, and the unique index is what refuses a second account of the same name, even under a race.
AccountSchema.index({ realm: 1, username: 1 }, { unique: true });
