import type { AttributeEntry, Scope, SessionAttributes } from './attribute-entry';
import { isTombstone } from './attribute-entry';
import type { AttributePolicy } from './attribute-policy';

/** One write or removal as an app made it, before merging. */
export interface AttributeOperation {
  readonly kind: 'set' | 'remove';
  readonly key: string;
  /** JSON text of the value, for `set`. */
  readonly value?: string;
  /** When the app made the call, in ms since the epoch, as the app reported it. */
  readonly time: number;
}

export interface MergeContext {
  /** Client id of the app whose batch this is. */
  readonly writer: string;
  readonly policy: AttributePolicy;
  readonly now: number;
  /** Times further ahead of the service clock than this are pulled back to now + skew. */
  readonly maxClockSkewMs: number;
  /**
   * Tombstones older than this are forgotten when their namespace is next written; writes
   * older than this are stale and dropped, so a forgotten removal can never be undone.
   */
  readonly tombstoneRetentionMs: number;
  /** At most this many tombstones written by one app are kept per namespace (its oldest go first). */
  readonly maxTombstonesPerWriter: number;
}

/** A stored entry to write (or, with `entry` undefined, to delete) in one namespace. */
export interface AttributeChange {
  readonly scope: Scope;
  /** Client id owning the private namespace; undefined for shared. */
  readonly owner: string | undefined;
  readonly key: string;
  readonly entry: AttributeEntry | undefined;
}

export interface MergeResult {
  readonly attributes: SessionAttributes;
  /** Stored entries that changed; empty when the batch changed nothing (for example a replay). */
  readonly changes: readonly AttributeChange[];
}

/**
 * The merge order of two writes of one key: positive when `a` wins.
 * Greater time wins. On equal times a set beats a removal, then the greater writer client id,
 * then the greater value text wins, so the outcome never depends on arrival order, and
 * identical writes compare equal (which makes replaying a batch a no-op).
 */
export function compareWrites(a: AttributeEntry, b: AttributeEntry): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  const aIsSet = !isTombstone(a);
  if (aIsSet !== !isTombstone(b)) return aIsSet ? 1 : -1;
  if (a.writer !== b.writer) return a.writer < b.writer ? -1 : 1;
  const av = a.value ?? '';
  const bv = b.value ?? '';
  return av === bv ? 0 : av < bv ? -1 : 1;
}

/** An app's clock may run ahead; a write from the future must not win for longer than the skew bound. */
export function clampWriteTime(time: number, now: number, maxClockSkewMs: number): number {
  return Math.min(time, now + maxClockSkewMs);
}

/**
 * Applies a batch of one app's operations to a session's attributes, last-writer-wins per key.
 * Pure: returns new attributes and the list of stored entries that changed.
 */
export function mergeOperations(
  current: SessionAttributes,
  operations: readonly AttributeOperation[],
  ctx: MergeContext,
): MergeResult {
  const shared = new Map(current.shared);
  const own = new Map(current.private.get(ctx.writer) ?? []);
  const changes = new Map<string, AttributeChange>();
  const staleBefore = ctx.now - ctx.tombstoneRetentionMs;
  let sharedVisible = false;
  let ownVisible = false;

  for (const op of operations) {
    const scope = ctx.policy.scopeOf(op.key);
    const target = scope === 'shared' ? shared : own;
    const incoming: AttributeEntry = {
      value: op.kind === 'set' ? op.value : undefined,
      time: clampWriteTime(op.time, ctx.now, ctx.maxClockSkewMs),
      writer: ctx.writer,
    };
    // A removal this old may already be forgotten, so a write this old cannot be ordered safely.
    if (incoming.time < staleBefore) continue;
    const existing = target.get(op.key);
    if (existing !== undefined && compareWrites(incoming, existing) <= 0) continue;

    target.set(op.key, incoming);
    changes.set(changeId(scope, op.key), {
      scope,
      owner: scope === 'private' ? ctx.writer : undefined,
      key: op.key,
      entry: incoming,
    });
    if (existing?.value !== incoming.value) {
      if (scope === 'shared') sharedVisible = true;
      else ownVisible = true;
    }
  }

  if (changes.size > 0) {
    const forget = (
      scope: Scope,
      namespace: Map<string, AttributeEntry>,
      stored: ReadonlyMap<string, AttributeEntry>,
    ) => {
      for (const key of tombstonesToForget(namespace, ctx)) {
        namespace.delete(key);
        const id = changeId(scope, key);
        // An entry this batch added and forgot again was never stored: nothing to delete.
        if (stored.has(key)) {
          changes.set(id, {
            scope,
            owner: scope === 'private' ? ctx.writer : undefined,
            key,
            entry: undefined,
          });
        } else {
          changes.delete(id);
        }
      }
    };
    forget('shared', shared, current.shared);
    forget('private', own, current.private.get(ctx.writer) ?? new Map());
  }

  const privateNamespaces = new Map(current.private);
  privateNamespaces.set(ctx.writer, own);
  const privateRevs = new Map(current.privateRevs);
  if (ownVisible) privateRevs.set(ctx.writer, (current.privateRevs.get(ctx.writer) ?? 0) + 1);

  return {
    attributes: {
      shared,
      private: privateNamespaces,
      sharedRev: current.sharedRev + (sharedVisible ? 1 : 0),
      privateRevs,
    },
    changes: [...changes.values()],
  };
}

function changeId(scope: Scope, key: string): string {
  return `${scope}\u0000${key}`;
}

/**
 * Tombstones past their retention, plus the writer's own oldest ones beyond its cap. The cap
 * counts only the writer's tombstones, so an app that removes many keys can push out its own
 * removals but never another app's.
 */
function tombstonesToForget(namespace: Map<string, AttributeEntry>, ctx: MergeContext): string[] {
  const horizon = ctx.now - ctx.tombstoneRetentionMs;
  const tombstones = [...namespace].filter(([, entry]) => isTombstone(entry));
  const expired = tombstones.filter(([, entry]) => entry.time < horizon);
  const overCap = tombstones
    .filter(([, entry]) => entry.time >= horizon && entry.writer === ctx.writer)
    .sort(([, a], [, b]) => compareWrites(b, a))
    .slice(ctx.maxTombstonesPerWriter);
  return [...expired, ...overCap].map(([key]) => key);
}
