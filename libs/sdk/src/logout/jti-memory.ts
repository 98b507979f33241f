/**
 * The logout tokens already acted on, so that a redelivered token (the service retries until it
 * sees a 200, and may send again after a lost answer) is accepted without acting twice.
 *
 * Bounded: an entry lives until its token's `exp` (after that the token is refused as expired
 * anyway, so remembering it is useless), and past `capacity` the least recently seen goes first.
 * Memory is per process: another instance of the app may act once more, which is harmless because
 * dropping state that is already gone does nothing.
 */
export class JtiMemory {
  // Insertion order is recency order: a `Map` re-inserted on each hit is an LRU.
  readonly #expiries = new Map<string, number>();

  constructor(
    readonly capacity: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`jti capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.#expiries.size;
  }

  /** Records `key` until `expiresAtMs`; false if it was already recorded (and not expired). */
  remember(key: string, expiresAtMs: number): boolean {
    const now = this.now();
    const known = this.#expiries.get(key);
    if (known !== undefined && known > now) {
      this.#expiries.delete(key);
      this.#expiries.set(key, known);
      return false;
    }
    this.#expiries.delete(key);
    this.#expiries.set(key, expiresAtMs);
    this.#evict(now);
    return true;
  }

  /** Forgets `key`: acting on it failed, so a redelivery must act again. */
  forget(key: string): void {
    this.#expiries.delete(key);
  }

  #evict(now: number): void {
    for (const [key, expiresAtMs] of this.#expiries) {
      if (this.#expiries.size <= this.capacity && expiresAtMs > now) break;
      // Over capacity: the oldest goes. Within it: only a leading run of expired entries is swept,
      // which keeps each call cheap; later expired entries go when they reach the front.
      this.#expiries.delete(key);
    }
  }
}
