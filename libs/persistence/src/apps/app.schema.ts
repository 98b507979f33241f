import { Schema } from 'mongoose';

export const APP_MODEL = 'App';

/** A registered app in the `apps` collection; `_id` is the client id (docs/admin/apps.md). */
export interface AppDocument {
  _id: string;
  realm: string;
  secretHash: string;
  enabled: boolean;
  redirectUris: string[];
  backchannelLogoutUri?: string;
  frontchannelLogoutUri?: string;
  postLogoutRedirectUris: string[];
  attributePolicy: {
    defaultScope: 'shared' | 'private';
    sharedKeys: string[];
    privateKeys: string[];
  };
  /** +1 on every change: the compare-and-set guard and the admin API's ETag. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const AppSchema = new Schema<AppDocument>(
  {
    _id: { type: String, required: true },
    realm: { type: String, required: true },
    secretHash: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    redirectUris: { type: [String], default: [] },
    backchannelLogoutUri: { type: String },
    frontchannelLogoutUri: { type: String },
    postLogoutRedirectUris: { type: [String], default: [] },
    attributePolicy: { type: Object, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'apps', versionKey: false, minimize: false, strict: true },
);

// The admin list filtered by realm pages through it in client id order.
AppSchema.index({ realm: 1, _id: 1 });
