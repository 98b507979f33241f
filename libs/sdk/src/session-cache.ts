import type { SessionView } from './session-view';

/** One cached session view, keyed elsewhere by the token's digest. */
export interface CachedSession {
  readonly view: SessionView;
  /** The ETag exactly as received, sent back verbatim in If-None-Match. */
  readonly etag: string;
  /** `view.session.expiresAt` in ms, parsed once: an expired copy is never served without asking. */
  readonly expiresAtMs: number;
  /** When the service last confirmed this copy (clock of the client). */
  validatedAt: number;
}

/**
 * A bounded LRU of session views keyed by a digest of the app session token (never the token itself,
 * so a heap dump does not hand out live sessions), with an index by session id for back-channel logout.
 *
 * A `Map` keeps insertion order, so re-inserting on each hit keeps the least recently used entry first.
 */
export class SessionCache {
  readonly #entries = new Map<string, CachedSession>();
  readonly #digestsBySession = new Map<string, Set<string>>();
  // A logout token may name only the subject (no `sid`): then every session of that user goes.
  readonly #digestsBySubject = new Map<string, Set<string>>();
  #generation = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`cacheSize must be a non-negative integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Changes whenever state is dropped on purpose (not on eviction). A caller that read it before a
   * call stores the answer only if it is unchanged, so a response in flight during a logout cannot
   * put the ended session back.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Returns the entry and marks it most recently used. */
  get(digest: string): CachedSession | undefined {
    const entry = this.#entries.get(digest);
    if (entry !== undefined) {
      this.#entries.delete(digest);
      this.#entries.set(digest, entry);
    }
    return entry;
  }

  set(digest: string, entry: CachedSession): void {
    if (this.capacity === 0) return;
    const previous = this.#entries.get(digest);
    if (previous !== undefined) {
      this.#entries.delete(digest);
      // Re-indexed below; the old keys go first in case the token now maps to another session.
      this.#unindex(digest, previous);
    }
    this.#entries.set(digest, entry);
    this.#index(digest, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#remove(oldest);
    }
  }

  delete(digest: string): void {
    if (this.#remove(digest)) this.#generation += 1;
  }

  #remove(digest: string): boolean {
    const entry = this.#entries.get(digest);
    if (entry === undefined) return false;
    this.#entries.delete(digest);
    this.#unindex(digest, entry);
    return true;
  }

  /** Drops every cached token of one session (an app may hold several tokens for it). */
  deleteSession(sessionId: string): void {
    this.#generation += 1;
    for (const digest of [...(this.#digestsBySession.get(sessionId) ?? [])]) this.#remove(digest);
  }

  /** Drops every cached token of every session of one subject (`principal.subject`). */
  deleteSubject(subject: string): void {
    this.#generation += 1;
    for (const digest of [...(this.#digestsBySubject.get(subject) ?? [])]) this.#remove(digest);
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#digestsBySession.clear();
    this.#digestsBySubject.clear();
  }

  #index(digest: string, entry: CachedSession): void {
    addTo(this.#digestsBySession, entry.view.session.id, digest);
    addTo(this.#digestsBySubject, entry.view.principal.subject, digest);
  }

  #unindex(digest: string, entry: CachedSession): void {
    removeFrom(this.#digestsBySession, entry.view.session.id, digest);
    removeFrom(this.#digestsBySubject, entry.view.principal.subject, digest);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, digest: string): void {
  let digests = index.get(key);
  if (digests === undefined) {
    digests = new Set();
    index.set(key, digests);
  }
  digests.add(digest);
}

function removeFrom(index: Map<string, Set<string>>, key: string, digest: string): void {
  const digests = index.get(key);
  if (digests === undefined) return;
  digests.delete(digest);
  if (digests.size === 0) index.delete(key);
}
