/** Slow, salted hashing for client secrets and passwords. */
export abstract class SecretHasher {
  abstract hash(secret: string): Promise<string>;
  /**
   * True when `secret` matches `hash`. With `hash` undefined (unknown client or account) it still
   * spends the same work against a dummy hash and answers false, so timing reveals nothing.
   */
  abstract verify(hash: string | undefined, secret: string): Promise<boolean>;
}
