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
  },
  { collection: 'accounts', versionKey: false, minimize: false, strict: true },
);

// Sign-in looks accounts up by realm + username, listings page through it in username order,
// and the unique index is what refuses a second account of the same name, even under a race.
AccountSchema.index({ realm: 1, username: 1 }, { unique: true });
