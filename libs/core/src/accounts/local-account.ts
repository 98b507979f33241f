/** A user of the embedded account store, one realm each. */
export interface LocalAccount {
  /** Random (16 bytes, base64url); the stable part of the subject, whatever the username becomes. */
  readonly id: string;
  readonly realm: string;
  /** Normalised (see username.ts); unique within the realm. */
  readonly username: string;
  /** argon2id, PHC string format. */
  readonly passwordHash: string;
  /** Claims shown to apps: `name`, `email` (ACCOUNT_PROFILE_FIELDS). */
  readonly profile: Readonly<Record<string, string>>;
  readonly disabled: boolean;
  readonly createdAt: number;
  /** The last change by an administrator (disable, enable, password reset); createdAt before. */
  readonly updatedAt: number;
  /** When the password was set last; createdAt until it is reset. */
  readonly passwordChangedAt: number;
}

/** An account as listings show it: the password hash is left out by construction. */
export type AccountSummary = Omit<LocalAccount, 'passwordHash'>;

/** Where an account sits in the listing order (realm, then username). */
export interface AccountKey {
  readonly realm: string;
  readonly username: string;
}

export interface AccountPage {
  readonly accounts: readonly AccountSummary[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: AccountKey;
}

/** Fields an administrator changes on an existing account; `at` becomes its `updatedAt`. */
export interface AccountChanges {
  readonly disabled?: boolean;
  /** Also moves `passwordChangedAt` to `at`. */
  readonly passwordHash?: string;
  readonly at: number;
}

/** The subject a local account signs in as: by id, so renaming the user keeps the principal. */
export function localSubject(account: Pick<LocalAccount, 'id'>): string {
  return `local:${account.id}`;
}

/** Copies the fields a listing may show; spelled out so a new secret field is never copied by accident. */
export function summarizeAccount(account: AccountSummary): AccountSummary {
  const { id, realm, username, profile, disabled, createdAt, updatedAt, passwordChangedAt } =
    account;
  return { id, realm, username, profile, disabled, createdAt, updatedAt, passwordChangedAt };
}
