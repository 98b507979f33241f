import type { AttributeOperation, SessionSource } from './client';
import { jsonSnapshot } from './json-snapshot';
import type { JsonValue, Principal, SessionInfo, SessionView } from './session-view';
import { readAttribute } from './session-view';

/** Milliseconds since the epoch. */
export type Clock = () => number;

type Delta = Map<string, AttributeOperation>;

/**
 * One request's handle on the merged session. Reads come from the session loaded at the start of
 * the request plus this request's own pending writes; writes and removals are recorded as a delta
 * (the last operation per key, with the time of the call) and sent in one batch by `flush()`.
 */
export class RequestSession {
  #view: SessionView;
  #delta: Delta = new Map();
  /** The batch being sent, still visible to reads until the service's answer replaces the view. */
  #inFlight: { readonly delta: Delta; readonly done: Promise<void> } | undefined;
  readonly #token: string;
  readonly #source: Pick<SessionSource, 'patchSession'>;
  readonly #now: Clock;

  constructor(
    source: Pick<SessionSource, 'patchSession'>,
    token: string,
    view: SessionView,
    now: Clock = Date.now,
  ) {
    this.#source = source;
    this.#token = token;
    this.#view = view;
    this.#now = now;
  }

  get principal(): Principal {
    return this.#view.principal;
  }

  get sessionId(): string {
    return this.#view.session.id;
  }

  /** Session times as ISO strings, from the service's last full answer. */
  get session(): SessionInfo {
    return this.#view.session;
  }

  /** The session version last seen (before this request's pending writes). */
  get version(): string {
    return this.#view.version;
  }

  /** Whether there are writes not yet sent. */
  get isDirty(): boolean {
    return this.#delta.size > 0;
  }

  /**
   * The value of `key`, deep-frozen (copy before changing it, then `set` the copy).
   * `T` is not checked at runtime, as with `JSON.parse`.
   */
  get<T = JsonValue>(key: string): T | undefined {
    const pending = this.#pending(key);
    if (pending !== undefined) return pending.op === 'set' ? (pending.value as T) : undefined;
    return readAttribute(this.#view, key) as T | undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): string[] {
    const keys = new Set([
      ...Object.keys(this.#view.attributes.shared),
      ...Object.keys(this.#view.attributes.private),
    ]);
    for (const delta of [this.#inFlight?.delta, this.#delta]) {
      for (const op of delta?.values() ?? []) {
        if (op.op === 'set') keys.add(op.key);
        else keys.delete(op.key);
      }
    }
    return [...keys];
  }

  /** The attributes as this request sees them. */
  toJSON(): Record<string, JsonValue> {
    // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
    return Object.fromEntries(this.keys().map((key) => [key, this.get(key) as JsonValue]));
  }

  /** Records a write; `value` is copied now, so later changes to the object are not sent. */
  set(key: string, value: unknown): void {
    assertKey(key);
    this.#delta.set(key, { op: 'set', key, value: jsonSnapshot(value, key), time: this.#time() });
  }

  remove(key: string): void {
    assertKey(key);
    this.#delta.set(key, { op: 'remove', key, time: this.#time() });
  }

  /**
   * Sends the pending writes in one batch (nothing when there are none) and adopts the merged
   * session the service answers with. On failure the writes stay pending with their original times,
   * so a retry cannot overtake a later write.
   */
  async flush(): Promise<void> {
    // One batch at a time, so the view ends as the answer to the latest batch.
    while (this.#inFlight !== undefined) await this.#inFlight.done;
    if (this.#delta.size === 0) return;

    const delta = this.#delta;
    this.#delta = new Map();
    let settle = (): void => undefined;
    this.#inFlight = { delta, done: new Promise<void>((resolve) => (settle = resolve)) };
    try {
      this.#view = await this.#source.patchSession(this.#token, [...delta.values()]);
    } catch (error) {
      for (const [key, op] of delta) if (!this.#delta.has(key)) this.#delta.set(key, op);
      throw error;
    } finally {
      this.#inFlight = undefined;
      settle();
    }
  }

  #pending(key: string): AttributeOperation | undefined {
    return this.#delta.get(key) ?? this.#inFlight?.delta.get(key);
  }

  #time(): number {
    return Math.trunc(this.#now());
  }
}

function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError('attribute keys must be non-empty strings');
  }
}
