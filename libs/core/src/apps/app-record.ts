import type { AttributePolicySpec } from '../attributes/attribute-policy';
import type { RegisteredApp } from './registered-app';

/** What an administrator (or the realms file) sets on an app, besides its id, realm and secret. */
export interface AppSettings {
  readonly enabled: boolean;
  readonly redirectUris: readonly string[];
  readonly backchannelLogoutUri?: string;
  readonly frontchannelLogoutUri?: string;
  readonly postLogoutRedirectUris: readonly string[];
  readonly attributePolicy: AttributePolicySpec;
}

/** An app about to be stored: from the realms file, or registered through the admin API. */
export interface NewApp extends AppSettings {
  readonly clientId: string;
  readonly realm: string;
  /** Slow hash (argon2id) of the client secret; the secret itself is never stored. */
  readonly secretHash: string;
}

/**
 * A change to a stored app: only the fields given change. `null` removes an optional logout URI.
 * The realm and client id never change.
 */
export interface AppChanges {
  readonly enabled?: boolean;
  readonly redirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string | null;
  readonly frontchannelLogoutUri?: string | null;
  readonly postLogoutRedirectUris?: readonly string[];
  readonly attributePolicy?: AttributePolicySpec;
  readonly secretHash?: string;
}

/** A stored app with its bookkeeping; `version` grows by one on every change (optimistic concurrency). */
export interface AppRecord extends RegisteredApp {
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
