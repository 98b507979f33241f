/** A stored signing key pair, times in milliseconds since the epoch. */
export interface StoredSigningKey {
  /** The rotation slot the key belongs to; at most one key per slot. */
  readonly slot: string;
  readonly kid: string;
  readonly publicJwk: Readonly<Record<string, unknown>>;
  readonly privateJwk: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly activatesAt: number;
  readonly retiresAt?: number;
}

/** The service's signing keys (`signing_keys`), shared by every instance. */
export abstract class SigningKeyStore {
  /** Every stored key, oldest activation first. */
  abstract list(): Promise<StoredSigningKey[]>;

  /**
   * Inserts the key of its slot unless that slot already has one (another instance won the
   * race); either way the caller reads the slot's key back with list().
   */
  abstract insertOnce(key: StoredSigningKey): Promise<void>;

  /** Sets `retiresAt` on keys activated before `activatedBefore` that have none yet. */
  abstract retireOlderThan(activatedBefore: number, retiresAt: number): Promise<void>;

  /** Deletes keys retired by `now`: no token they signed can still be valid. */
  abstract deleteRetired(now: number): Promise<void>;
}
