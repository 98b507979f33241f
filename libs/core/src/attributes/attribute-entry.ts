/**
 * One stored attribute write: the latest write of a key that the merge rule kept.
 * `value` is the JSON text of the value; a removal keeps `value` undefined (a tombstone), so
 * that it still beats writes older than itself that arrive late.
 */
export interface AttributeEntry {
  readonly value: string | undefined;
  /** When the app made the write, in ms since the epoch, after clamping to the service clock. */
  readonly time: number;
  /** Client id of the app that made the write. */
  readonly writer: string;
}

export type Scope = 'shared' | 'private';

export function isTombstone(entry: AttributeEntry): boolean {
  return entry.value === undefined;
}

/** Attributes of one SSO session: the shared namespace and one private namespace per app. */
export interface SessionAttributes {
  readonly shared: ReadonlyMap<string, AttributeEntry>;
  /** client id → key → entry */
  readonly private: ReadonlyMap<string, ReadonlyMap<string, AttributeEntry>>;
  /** Bumped whenever the shared namespace changes visibly; part of every app's view version. */
  readonly sharedRev: number;
  /** client id → revision of that app's private namespace. */
  readonly privateRevs: ReadonlyMap<string, number>;
}

export function emptyAttributes(): SessionAttributes {
  return { shared: new Map(), private: new Map(), sharedRev: 0, privateRevs: new Map() };
}
