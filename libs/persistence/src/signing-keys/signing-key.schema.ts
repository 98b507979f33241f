import { Schema } from 'mongoose';

export const SIGNING_KEY_MODEL = 'SigningKey';

/**
 * One key pair of the `signing_keys` collection. The private JWK is stored here, in the
 * database (docs/signing-keys.md): every instance must sign with the same key.
 */
export interface SigningKeyDocument {
  /** The rotation slot, as the ISO time the slot starts: one key per slot, inserted once. */
  _id: string;
  kid: string;
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: Date;
  activatesAt: Date;
  /** Set once the next key exists: its activation plus the longest token lifetime and tolerance. */
  retiresAt?: Date;
}

export const SigningKeySchema = new Schema<SigningKeyDocument>(
  {
    _id: { type: String, required: true },
    kid: { type: String, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    privateJwk: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    activatesAt: { type: Date, required: true },
    retiresAt: { type: Date },
  },
  { collection: 'signing_keys', versionKey: false, minimize: false },
);
