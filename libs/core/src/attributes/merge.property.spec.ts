import { appViewOf, viewVersionOf } from './app-view';
import type { AttributeEntry, Scope, SessionAttributes } from './attribute-entry';
import { emptyAttributes, isTombstone } from './attribute-entry';
import { AttributePolicy } from './attribute-policy';
import type { AttributeOperation, MergeContext } from './merge';
import { clampWriteTime, compareWrites, mergeOperations } from './merge';
import { seededRandom } from '../../../../e2e/support/seeded-random';

/**
 * Randomized properties of the merge, with a seeded generator so that every run checks the same
 * cases and a failure names a reproducible seed.
 */

const prng = seededRandom;

const NOW = Date.UTC(2030, 0, 1);
const SKEW = 5;
/** Short enough that, as batches arrive at advancing service times, many writes become stale. */
const RETENTION = 8;

/** Three apps whose policies disagree about some keys, so shared and private writes interleave. */
const POLICIES: Readonly<Record<string, AttributePolicy>> = {
  admin: new AttributePolicy({ defaultScope: 'shared', sharedKeys: [], privateKeys: [] }),
  portal: new AttributePolicy({ defaultScope: 'shared', sharedKeys: [], privateKeys: ['cart*'] }),
  shop: new AttributePolicy({
    defaultScope: 'private',
    sharedKeys: ['theme', 'lang', 'cartId'],
    privateKeys: [],
  }),
};
const WRITERS = Object.keys(POLICIES);
const KEYS = ['theme', 'lang', 'cart', 'cartId', 'x'];
const VALUES = ['"a"', '"b"', '1', '""'];

interface Write {
  readonly writer: string;
  readonly op: AttributeOperation;
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function shuffle<T>(rnd: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Times in a narrow range (many ties), some beyond now + skew (clamped onto ties as well). */
function randomWrites(rnd: () => number, count: number): Write[] {
  const writes: Write[] = [];
  for (let i = 0; i < count; i++) {
    const writer = pick(rnd, WRITERS);
    const key = pick(rnd, KEYS);
    const time = NOW - 10 + Math.floor(rnd() * 25);
    const op: AttributeOperation =
      rnd() < 0.3
        ? { kind: 'remove', key, time }
        : { kind: 'set', key, value: pick(rnd, VALUES), time };
    writes.push({ writer, op });
  }
  return writes;
}

/** One delivery: a single app's writes, merged at the service time `now`. */
interface Batch {
  readonly now: number;
  readonly writes: readonly Write[];
}

/**
 * Cuts a shuffled sequence of writes into single-writer batches of random size, the way several
 * SDK instances would deliver them, and sometimes delivers a batch twice (a retry). Each delivery
 * is merged at a service time that never goes back and often stays the same, starting a little
 * before the writes' times, so some writes are clamped (ahead of now + skew) and, as time moves
 * on, some are stale (before now - retention).
 */
function randomBatches(rnd: () => number, writes: readonly Write[]): Batch[] {
  const pending = shuffle(rnd, writes);
  const batches: Batch[] = [];
  let now = NOW - 4 + Math.floor(rnd() * 3);
  const nextNow = () => (now += Math.floor(rnd() * 3));
  while (pending.length > 0) {
    const writer = pending[0].writer;
    const size = 1 + Math.floor(rnd() * 4);
    const batch: Write[] = [];
    for (let i = 0; i < pending.length && batch.length < size;) {
      if (pending[i].writer === writer) batch.push(...pending.splice(i, 1));
      else i++;
    }
    batches.push({ now: nextNow(), writes: batch });
    if (rnd() < 0.15) batches.push({ now: nextNow(), writes: shuffle(rnd, batch) });
  }
  return batches;
}

function context(writer: string, now: number, overrides: Partial<MergeContext> = {}): MergeContext {
  return {
    writer,
    policy: POLICIES[writer],
    now,
    maxClockSkewMs: SKEW,
    tombstoneRetentionMs: RETENTION,
    maxTombstonesPerWriter: Number.POSITIVE_INFINITY,
    ...overrides,
  };
}

type Namespaces = Map<string, Map<string, AttributeEntry>>;
const SHARED = '(shared)';

function namespacesOf(attributes: SessionAttributes): Namespaces {
  const out: Namespaces = new Map();
  if (attributes.shared.size > 0) out.set(SHARED, new Map(attributes.shared));
  for (const [owner, ns] of attributes.private) {
    if (ns.size > 0) out.set(owner, new Map(ns));
  }
  return out;
}

/** Order-free description of namespaces, for equality checks. */
function canonical(namespaces: Namespaces): [string, [string, AttributeEntry][]][] {
  return [...namespaces]
    .filter(([, ns]) => ns.size > 0)
    .map(([name, ns]): [string, [string, AttributeEntry][]] => [
      name,
      [...ns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const isStale = (time: number, now: number) => time < now - RETENTION;

/**
 * The reference: every write of every delivery, clamped against that delivery's `now`, minus the
 * stale ones (older than that delivery's now - retention), sorted by compareWrites; the greatest
 * one per namespace and key.
 */
function reference(batches: readonly Batch[]): Namespaces {
  const candidates = new Map<string, { ns: string; key: string; entries: AttributeEntry[] }>();
  for (const { now, writes } of batches) {
    for (const { writer, op } of writes) {
      const scope: Scope = POLICIES[writer].scopeOf(op.key);
      const ns = scope === 'shared' ? SHARED : writer;
      const id = `${ns}\u0000${op.key}`;
      const entry: AttributeEntry = {
        value: op.kind === 'set' ? op.value : undefined,
        time: clampWriteTime(op.time, now, SKEW),
        writer,
      };
      if (isStale(entry.time, now)) continue;
      const slot = candidates.get(id) ?? { ns, key: op.key, entries: [] };
      slot.entries.push(entry);
      candidates.set(id, slot);
    }
  }
  const out: Namespaces = new Map();
  for (const { ns, key, entries } of candidates.values()) {
    const sorted = [...entries].sort(compareWrites);
    if (!out.has(ns)) out.set(ns, new Map());
    out.get(ns)!.set(key, sorted[sorted.length - 1]);
  }
  return out;
}

/**
 * Where the merged state departs from the reference, or undefined. Every stored entry must be
 * the reference's winner; a winner may be missing only if it is a tombstone past the retention
 * at the last delivery (forgotten).
 */
function differenceFromReference(
  actual: Namespaces,
  expected: Namespaces,
  lastNow: number,
): string | undefined {
  for (const [ns, entries] of actual) {
    for (const [key, entry] of entries) {
      const winner = expected.get(ns)?.get(key);
      if (JSON.stringify(entry) !== JSON.stringify(winner)) {
        return `${ns}/${key}: stored ${JSON.stringify(entry)}, reference ${JSON.stringify(winner)}`;
      }
    }
  }
  for (const [ns, entries] of expected) {
    for (const [key, winner] of entries) {
      if (actual.get(ns)?.has(key)) continue;
      if (!isTombstone(winner) || !isStale(winner.time, lastNow)) {
        return `${ns}/${key}: missing, reference ${JSON.stringify(winner)}`;
      }
    }
  }
  return undefined;
}

function applyBatches(
  batches: readonly Batch[],
  overrides: Partial<MergeContext> = {},
  onBatch?: (
    before: SessionAttributes,
    after: SessionAttributes,
    changes: ReturnType<typeof mergeOperations>['changes'],
    batch: Batch,
  ) => void,
): SessionAttributes {
  let attributes = emptyAttributes();
  for (const batch of batches) {
    const result = mergeOperations(
      attributes,
      batch.writes.map((w) => w.op),
      context(batch.writes[0].writer, batch.now, overrides),
    );
    onBatch?.(attributes, result.attributes, result.changes, batch);
    attributes = result.attributes;
  }
  return attributes;
}

const CASES = 400;

describe('mergeOperations, randomized', () => {
  it(`reaches the reference state (latest non-stale write per key) for any order and batching (${CASES} seeded cases)`, () => {
    // How often the parts of the model that are new with the stale rule actually mattered.
    let staleDecided = 0;
    let forgotten = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = prng(seed);
      const writes = randomWrites(rnd, 5 + Math.floor(rnd() * 40));
      for (let ordering = 0; ordering < 3; ordering++) {
        const batches = randomBatches(rnd, writes);
        const lastNow = batches[batches.length - 1].now;
        const expected = reference(batches);
        const actual = namespacesOf(applyBatches(batches));
        const problem = differenceFromReference(actual, expected, lastNow);
        if (problem !== undefined) {
          throw new Error(
            `seed ${seed}, ordering ${ordering}: merge differs from the reference: ${problem}`,
          );
        }
        const withoutStaleRule = reference(
          batches.map((b) => ({ ...b, now: Number.NEGATIVE_INFINITY })),
        );
        if (JSON.stringify(canonical(withoutStaleRule)) !== JSON.stringify(canonical(expected))) {
          staleDecided++;
        }
        if (JSON.stringify(canonical(actual)) !== JSON.stringify(canonical(expected))) forgotten++;
      }
    }
    expect(staleDecided).toBeGreaterThan(CASES);
    expect(forgotten).toBeGreaterThan(CASES / 10);
  });

  it(`reports changes that, applied to a stored copy, reproduce the merged state (${CASES} seeded cases, with tombstone retention and cap)`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = prng(seed * 7919);
      const writes = randomWrites(rnd, 5 + Math.floor(rnd() * 40));
      const stored: Namespaces = new Map();
      let step = 0;
      applyBatches(
        randomBatches(rnd, writes),
        { maxTombstonesPerWriter: 2 },
        (_before, after, changes) => {
          step++;
          for (const change of changes) {
            const ns = change.scope === 'shared' ? SHARED : change.owner!;
            if (change.scope === 'private') expect(change.owner).toBeDefined();
            if (!stored.has(ns)) stored.set(ns, new Map());
            if (change.entry === undefined) stored.get(ns)!.delete(change.key);
            else stored.get(ns)!.set(change.key, change.entry);
          }
          if (
            JSON.stringify(canonical(stored)) !== JSON.stringify(canonical(namespacesOf(after)))
          ) {
            throw new Error(`seed ${seed}, batch ${step}: stored copy diverges from the merge`);
          }
        },
      );
    }
  });

  it(`caps each app's own tombstones and never forgets another app's live tombstone (${CASES} seeded cases)`, () => {
    const CAP = 1;
    let cappedAway = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = prng(seed * 6007);
      const writes = randomWrites(rnd, 5 + Math.floor(rnd() * 40));
      let step = 0;
      applyBatches(
        randomBatches(rnd, writes),
        { maxTombstonesPerWriter: CAP },
        (before, after, changes, batch) => {
          step++;
          const writer = batch.writes[0].writer;
          const fail = (what: string) => {
            throw new Error(`seed ${seed}, batch ${step} (${writer}): ${what}`);
          };
          for (const change of changes) {
            if (change.entry !== undefined) continue;
            // A key this batch wrote held the writer's own write, whoever removed it before.
            const overwritten = batch.writes.some(
              (w) => w.op.key === change.key && POLICIES[writer].scopeOf(w.op.key) === change.scope,
            );
            const ns = change.scope === 'shared' ? before.shared : before.private.get(writer);
            const gone = overwritten ? undefined : ns?.get(change.key);
            if (!overwritten && gone === undefined) fail(`deleted ${change.key}, which is absent`);
            if (gone !== undefined && !isTombstone(gone))
              fail(`deleted the value of ${change.key}`);
            if (gone !== undefined && isStale(gone.time, batch.now)) continue; // expired
            if (gone !== undefined && gone.writer !== writer) {
              fail(`forgot ${gone.writer}'s tombstone of ${change.key} within its retention`);
            }
            cappedAway++; // one of the writer's own tombstones, within retention, over the cap
          }
          const namespaces = [after.shared, ...after.private.values()];
          for (const app of WRITERS) {
            for (const ns of namespaces) {
              const own = [...ns.values()].filter((e) => isTombstone(e) && e.writer === app);
              if (own.length > CAP) fail(`${app} keeps ${own.length} tombstones in a namespace`);
            }
          }
        },
      );
    }
    expect(cappedAway).toBeGreaterThan(CASES / 10);
  });

  it(`changes every app's view version whenever its view changed (${CASES} seeded cases)`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = prng(seed * 104729);
      const writes = randomWrites(rnd, 5 + Math.floor(rnd() * 40));
      let step = 0;
      applyBatches(
        randomBatches(rnd, writes),
        { maxTombstonesPerWriter: 2 },
        (before, after, changes) => {
          step++;
          for (const reader of WRITERS) {
            const policy = POLICIES[reader];
            const viewBefore = appViewOf(before, reader, policy);
            const viewAfter = appViewOf(after, reader, policy);
            const sameView =
              JSON.stringify(
                [[...viewBefore.shared], [...viewBefore.private]].map((m) => m.sort()),
              ) ===
              JSON.stringify([[...viewAfter.shared], [...viewAfter.private]].map((m) => m.sort()));
            const sameVersion =
              viewVersionOf(before, reader, policy, 0) === viewVersionOf(after, reader, policy, 0);
            if (!sameView && sameVersion) {
              throw new Error(
                `seed ${seed}, batch ${step}: ${reader}'s view changed, version did not`,
              );
            }
            if (changes.length === 0 && !sameVersion) {
              throw new Error(
                `seed ${seed}, batch ${step}: a batch without changes bumped a version`,
              );
            }
          }
          // Revisions only grow, by at most one per batch.
          expect(after.sharedRev - before.sharedRev).toBeGreaterThanOrEqual(0);
          expect(after.sharedRev - before.sharedRev).toBeLessThanOrEqual(1);
        },
      );
    }
  });

  // A batch holding a write that was clamped on its first delivery is re-clamped, to a later
  // bound, when it is replayed later (docs/merge-rule.md, "Clock skew"); every other batch must
  // replay as a no-op, however much later, even after tombstones were forgotten.
  it('is idempotent: replaying later any batch that had no clamped write changes nothing', () => {
    let replayed = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = prng(seed * 31);
      const batches = randomBatches(rnd, randomWrites(rnd, 5 + Math.floor(rnd() * 30)));
      const once = applyBatches(batches);
      let again = once;
      let now = batches[batches.length - 1].now;
      for (const batch of shuffle(rnd, batches)) {
        now += Math.floor(rnd() * 3);
        if (batch.writes.some((w) => clampWriteTime(w.op.time, batch.now, SKEW) !== w.op.time)) {
          continue;
        }
        const result = mergeOperations(
          again,
          batch.writes.map((w) => w.op),
          context(batch.writes[0].writer, now),
        );
        if (result.changes.length > 0)
          throw new Error(`seed ${seed}: a replayed batch changed the state`);
        again = result.attributes;
        replayed++;
      }
      expect(again.sharedRev).toBe(once.sharedRev);
    }
    expect(replayed).toBeGreaterThan(CASES);
  });
});
