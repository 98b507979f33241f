import type { AttributeEntry, SessionAttributes } from './attribute-entry';
import { emptyAttributes } from './attribute-entry';
import { AttributePolicy, DEFAULT_POLICY_SPEC } from './attribute-policy';
import type { AttributeOperation, MergeContext } from './merge';
import { clampWriteTime, compareWrites, mergeOperations } from './merge';

const NOW = Date.UTC(2030, 0, 1);
const SKEW = 5_000;
const RETENTION = 24 * 60 * 60 * 1000;
/** A time shortly before NOW, well within the tombstone retention. */
const at = (offset: number) => NOW - 60_000 + offset;

const sharedPolicy = new AttributePolicy(DEFAULT_POLICY_SPEC);
/** `cart*` and `token` are private to the app; everything else is shared. */
const shopPolicy = new AttributePolicy({
  defaultScope: 'shared',
  sharedKeys: [],
  privateKeys: ['cart*', 'token'],
});

function ctx(overrides: Partial<MergeContext> = {}): MergeContext {
  return {
    writer: 'shop',
    policy: shopPolicy,
    now: NOW,
    maxClockSkewMs: SKEW,
    tombstoneRetentionMs: RETENTION,
    maxTombstonesPerWriter: 100,
    ...overrides,
  };
}

const set = (key: string, value: string, time: number): AttributeOperation => ({
  kind: 'set',
  key,
  value,
  time,
});
const remove = (key: string, time: number): AttributeOperation => ({ kind: 'remove', key, time });

const entry = (value: string | undefined, time: number, writer = 'shop'): AttributeEntry => ({
  value,
  time,
  writer,
});

/** Applies batches one after another, each with its own writer and policy. */
function applyAll(
  batches: readonly { writer: string; policy: AttributePolicy; ops: AttributeOperation[] }[],
  start: SessionAttributes = emptyAttributes(),
  overrides: Partial<MergeContext> = {},
): SessionAttributes {
  let attributes = start;
  for (const batch of batches) {
    attributes = mergeOperations(attributes, batch.ops, {
      ...ctx(overrides),
      writer: batch.writer,
      policy: batch.policy,
    }).attributes;
  }
  return attributes;
}

function snapshot(attributes: SessionAttributes) {
  return {
    shared: [...attributes.shared].sort(([a], [b]) => (a < b ? -1 : 1)),
    private: [...attributes.private]
      .map(([owner, ns]) => [owner, [...ns].sort(([a], [b]) => (a < b ? -1 : 1))] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    sharedRev: attributes.sharedRev,
    privateRevs: [...attributes.privateRevs].sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

describe('compareWrites', () => {
  it('lets the greater time win whatever the kind, writer or value', () => {
    expect(compareWrites(entry('"a"', 2, 'a'), entry('"z"', 1, 'z'))).toBeGreaterThan(0);
    expect(compareWrites(entry(undefined, 2, 'a'), entry('"z"', 1, 'z'))).toBeGreaterThan(0);
    expect(compareWrites(entry('"z"', 1, 'z'), entry(undefined, 2, 'a'))).toBeLessThan(0);
  });

  it('on equal times lets a set beat a removal, whichever side it is on', () => {
    expect(compareWrites(entry('"v"', 5, 'a'), entry(undefined, 5, 'z'))).toBeGreaterThan(0);
    expect(compareWrites(entry(undefined, 5, 'z'), entry('"v"', 5, 'a'))).toBeLessThan(0);
  });

  it('on equal times and kinds lets the greater writer id win', () => {
    expect(compareWrites(entry('"a"', 5, 'portal'), entry('"z"', 5, 'admin'))).toBeGreaterThan(0);
    expect(compareWrites(entry('"z"', 5, 'admin'), entry('"a"', 5, 'portal'))).toBeLessThan(0);
    expect(
      compareWrites(entry(undefined, 5, 'portal'), entry(undefined, 5, 'admin')),
    ).toBeGreaterThan(0);
  });

  it('on equal times, kinds and writers lets the greater value text win', () => {
    expect(compareWrites(entry('"b"', 5), entry('"a"', 5))).toBeGreaterThan(0);
    expect(compareWrites(entry('"a"', 5), entry('"b"', 5))).toBeLessThan(0);
    expect(compareWrites(entry('10', 5), entry('9', 5))).toBeLessThan(0); // text order, not numeric
  });

  it('compares identical writes and identical removals as equal', () => {
    expect(compareWrites(entry('"v"', 5, 'a'), entry('"v"', 5, 'a'))).toBe(0);
    expect(compareWrites(entry(undefined, 5, 'a'), entry(undefined, 5, 'a'))).toBe(0);
  });

  it('is a total order: antisymmetric, transitive, and zero only for identical writes', () => {
    const entries: AttributeEntry[] = [];
    for (const time of [1, 2])
      for (const writer of ['a', 'b'])
        for (const value of [undefined, '""', '"a"', '"b"'])
          entries.push(entry(value, time, writer));
    const sign = (n: number) => Math.sign(n);
    for (const a of entries) {
      for (const b of entries) {
        expect(sign(compareWrites(a, b))).toBe(-sign(compareWrites(b, a)) || 0);
        expect(compareWrites(a, b) === 0).toBe(
          a.time === b.time && a.writer === b.writer && a.value === b.value,
        );
        for (const c of entries) {
          if (compareWrites(a, b) > 0 && compareWrites(b, c) > 0) {
            expect(compareWrites(a, c)).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('distinguishes an empty-string value from a removal at the same time', () => {
    expect(compareWrites(entry('', 5), entry(undefined, 5))).toBeGreaterThan(0);
  });
});

describe('clampWriteTime', () => {
  it('keeps a time at or before now', () => {
    expect(clampWriteTime(NOW, NOW, SKEW)).toBe(NOW);
    expect(clampWriteTime(NOW - 1, NOW, SKEW)).toBe(NOW - 1);
  });

  it('keeps a future time within the skew bound, up to and including now + skew', () => {
    expect(clampWriteTime(NOW + SKEW - 1, NOW, SKEW)).toBe(NOW + SKEW - 1);
    expect(clampWriteTime(NOW + SKEW, NOW, SKEW)).toBe(NOW + SKEW);
  });

  it('pulls a time further in the future back to now + skew', () => {
    expect(clampWriteTime(NOW + SKEW + 1, NOW, SKEW)).toBe(NOW + SKEW);
    expect(clampWriteTime(NOW + 365 * 24 * 3600 * 1000, NOW, SKEW)).toBe(NOW + SKEW);
    expect(clampWriteTime(Number.POSITIVE_INFINITY, NOW, SKEW)).toBe(NOW + SKEW);
  });

  it('keeps very old times as they are, so late old writes still lose', () => {
    expect(clampWriteTime(0, NOW, SKEW)).toBe(0);
    expect(clampWriteTime(NOW - 10 * RETENTION, NOW, SKEW)).toBe(NOW - 10 * RETENTION);
  });

  it('with a zero skew bound pulls every future time back to now', () => {
    expect(clampWriteTime(NOW + 1, NOW, 0)).toBe(NOW);
  });
});

describe('mergeOperations', () => {
  describe('storing writes', () => {
    it('stores a set on an empty session with the writer id and the clamped time', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('theme', '"dark"', NOW - 10)],
        ctx(),
      );
      expect(attributes.shared.get('theme')).toEqual(entry('"dark"', NOW - 10, 'shop'));
      expect(changes).toEqual([
        { scope: 'shared', owner: undefined, key: 'theme', entry: entry('"dark"', NOW - 10) },
      ]);
    });

    it('stores a future-dated write with its time pulled back to now + skew', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('theme', '"dark"', NOW + 60_000)],
        ctx(),
      );
      expect(attributes.shared.get('theme')?.time).toBe(NOW + SKEW);
      expect(changes[0].entry?.time).toBe(NOW + SKEW);
    });

    it('lets an honest write made after the skew window beat a clamped future write', () => {
      const afterFuture = applyAll([
        {
          writer: 'fast-clock',
          policy: sharedPolicy,
          ops: [set('k', '"future"', NOW + 3_600_000)],
        },
      ]);
      const later = mergeOperations(afterFuture, [set('k', '"honest"', NOW + SKEW + 1)], {
        ...ctx({ now: NOW + SKEW + 1 }),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(later.attributes.shared.get('k')?.value).toBe('"honest"');
    });

    it('does not mutate the attributes it was given', () => {
      const start = applyAll([
        {
          writer: 'shop',
          policy: shopPolicy,
          ops: [set('theme', '"a"', at(1)), set('cart', '[]', at(1))],
        },
      ]);
      const before = snapshot(start);
      const { changes } = mergeOperations(
        start,
        [set('theme', '"b"', at(2)), remove('cart', at(2)), set('lang', '"fr"', at(2))],
        ctx(),
      );
      expect(changes).toHaveLength(3); // the batch did change something, just not `start`
      expect(snapshot(start)).toEqual(before);
    });
  });

  describe('last writer wins per key', () => {
    const base = () =>
      applyAll([{ writer: 'portal', policy: sharedPolicy, ops: [set('k', '"old"', NOW - 100)] }]);

    it('replaces the stored value with a newer write', () => {
      const { attributes, changes } = mergeOperations(base(), [set('k', '"new"', NOW - 50)], ctx());
      expect(attributes.shared.get('k')).toEqual(entry('"new"', NOW - 50, 'shop'));
      expect(changes).toHaveLength(1);
    });

    it('ignores an older write that arrives late', () => {
      const start = base();
      const { attributes, changes } = mergeOperations(
        start,
        [set('k', '"late"', NOW - 200)],
        ctx(),
      );
      expect(attributes.shared.get('k')).toEqual(entry('"old"', NOW - 100, 'portal'));
      expect(changes).toEqual([]);
      expect(attributes.sharedRev).toBe(start.sharedRev);
    });

    it('breaks a tie on time by the writer id, the same in both arrival orders', () => {
      const a = { writer: 'admin', policy: sharedPolicy, ops: [set('k', '"from-admin"', at(10))] };
      const p = {
        writer: 'portal',
        policy: sharedPolicy,
        ops: [set('k', '"from-portal"', at(10))],
      };
      expect(applyAll([a, p]).shared.get('k')?.value).toBe('"from-portal"');
      expect(applyAll([p, a]).shared.get('k')?.value).toBe('"from-portal"');
    });

    it('within one batch decides by time, not by position in the batch', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('k', '"newest"', at(30)), set('k', '"older"', at(10)), set('k', '"middle"', at(20))],
        ctx(),
      );
      expect(attributes.shared.get('k')?.value).toBe('"newest"');
      expect(changes).toHaveLength(1);
      expect(changes[0].entry?.value).toBe('"newest"');
    });

    it('reports one change per key even when a batch rewrites the key several times', () => {
      const { changes } = mergeOperations(
        emptyAttributes(),
        [set('k', '"1"', at(1)), set('k', '"2"', at(2)), set('k', '"3"', at(3))],
        ctx(),
      );
      expect(changes).toEqual([
        { scope: 'shared', owner: undefined, key: 'k', entry: entry('"3"', at(3)) },
      ]);
    });
  });

  describe('removals (tombstones)', () => {
    it('stores a removal as a tombstone and hides the value', () => {
      const start = applyAll([
        { writer: 'shop', policy: shopPolicy, ops: [set('k', '"v"', at(10))] },
      ]);
      const { attributes, changes } = mergeOperations(start, [remove('k', at(20))], ctx());
      expect(attributes.shared.get('k')).toEqual(entry(undefined, at(20)));
      expect(changes).toEqual([
        { scope: 'shared', owner: undefined, key: 'k', entry: entry(undefined, at(20)) },
      ]);
    });

    it('lets a tombstone beat an older write that arrives late', () => {
      const afterRemove = applyAll([
        { writer: 'shop', policy: shopPolicy, ops: [set('k', '"v"', at(10)), remove('k', at(20))] },
      ]);
      const late = mergeOperations(afterRemove, [set('k', '"late"', at(15))], {
        ...ctx(),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(late.attributes.shared.get('k')).toEqual(entry(undefined, at(20)));
      expect(late.changes).toEqual([]);
    });

    it('lets a newer write beat a tombstone', () => {
      const afterRemove = applyAll([
        { writer: 'shop', policy: shopPolicy, ops: [remove('k', at(20))] },
      ]);
      const newer = mergeOperations(afterRemove, [set('k', '"back"', at(21))], {
        ...ctx(),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(newer.attributes.shared.get('k')).toEqual(entry('"back"', at(21), 'portal'));
      expect(newer.attributes.sharedRev).toBe(afterRemove.sharedRev + 1);
    });

    it('lets a set beat a removal made at the same millisecond, in either arrival order', () => {
      const setBatch = { writer: 'admin', policy: sharedPolicy, ops: [set('k', '"kept"', at(7))] };
      const removeBatch = { writer: 'portal', policy: sharedPolicy, ops: [remove('k', at(7))] };
      expect(applyAll([setBatch, removeBatch]).shared.get('k')?.value).toBe('"kept"');
      expect(applyAll([removeBatch, setBatch]).shared.get('k')?.value).toBe('"kept"');
    });

    it('keeps a tombstone for a key that was never set, so an older late write still loses', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [remove('k', at(20))],
        ctx(),
      );
      expect(attributes.shared.get('k')).toEqual(entry(undefined, at(20)));
      expect(changes).toHaveLength(1);
      expect(attributes.sharedRev).toBe(0); // nothing visible changed
      const late = mergeOperations(attributes, [set('k', '"late"', at(19))], ctx());
      expect(late.attributes.shared.get('k')).toEqual(entry(undefined, at(20)));
    });
  });

  describe('replays', () => {
    const batch = [
      set('theme', '"dark"', NOW - 30),
      remove('lang', NOW - 20),
      set('cart', '["x"]', NOW - 10),
      remove('token', NOW - 5),
    ];

    it('yields no changes and the same attributes when the same batch is applied again', () => {
      const first = mergeOperations(emptyAttributes(), batch, ctx());
      expect(first.changes.length).toBeGreaterThan(0);
      const replay = mergeOperations(first.attributes, batch, ctx());
      expect(replay.changes).toEqual([]);
      expect(snapshot(replay.attributes)).toEqual(snapshot(first.attributes));
    });

    it('yields no changes when replayed later, as long as no time was clamped', () => {
      const first = mergeOperations(emptyAttributes(), batch, ctx());
      const replay = mergeOperations(first.attributes, batch, ctx({ now: NOW + 60_000 }));
      expect(replay.changes).toEqual([]);
    });

    it('yields no changes when the same batch comes from the same writer in another order', () => {
      const first = mergeOperations(emptyAttributes(), batch, ctx());
      const replay = mergeOperations(first.attributes, [...batch].reverse(), ctx());
      expect(replay.changes).toEqual([]);
    });

    it('yields no changes when a removal older than the retention is replayed (it is stale)', () => {
      const old = [remove('k', NOW - RETENTION - 1)];
      const first = mergeOperations(emptyAttributes(), old, ctx());
      expect(first.changes).toEqual([]);
      expect(first.attributes.shared.has('k')).toBe(false);
      const replay = mergeOperations(first.attributes, old, ctx());
      expect(replay.changes).toEqual([]);
    });

    // Documented limitation (docs/merge-rule.md, "Clock skew"): clamping happens on each
    // delivery, against the service clock at that moment. A batch from an app whose clock is
    // ahead by more than the skew is clamped again when it is retried, to the later bound, so the
    // retry can beat a write made in between. This pins down that behaviour exactly.
    it('re-clamps a future-dated write on each delivery, so a later retry can beat a write made in between', () => {
      const fast = { ...ctx(), writer: 'fast-clock', policy: sharedPolicy };
      const batchFromFastClock = [set('k', '"from-fast-clock"', NOW + 3_600_000)];
      const first = mergeOperations(emptyAttributes(), batchFromFastClock, fast);
      expect(first.attributes.shared.get('k')).toEqual(
        entry('"from-fast-clock"', NOW + SKEW, 'fast-clock'),
      );

      const honestTime = NOW + SKEW + 1_000;
      const honest = mergeOperations(first.attributes, [set('k', '"honest"', honestTime)], {
        ...ctx({ now: honestTime }),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(honest.attributes.shared.get('k')).toEqual(entry('"honest"', honestTime, 'portal'));

      const retryNow = honestTime + 1_000;
      const retry = mergeOperations(honest.attributes, batchFromFastClock, {
        ...fast,
        now: retryNow,
      });
      const reclamped = entry('"from-fast-clock"', retryNow + SKEW, 'fast-clock');
      expect(retry.changes).toEqual([
        { scope: 'shared', owner: undefined, key: 'k', entry: reclamped },
      ]);
      expect(retry.attributes.shared.get('k')).toEqual(reclamped);
      expect(retry.attributes.sharedRev).toBe(honest.attributes.sharedRev + 1);

      // Retried again at the same service time, it is a no-op: only a later clock re-clamps.
      const again = mergeOperations(retry.attributes, batchFromFastClock, {
        ...fast,
        now: retryNow,
      });
      expect(again.changes).toEqual([]);
    });
  });

  describe('revisions', () => {
    const start = () =>
      applyAll([
        {
          writer: 'shop',
          policy: shopPolicy,
          ops: [set('theme', '"light"', at(10)), set('cart', '[]', at(10))],
        },
        { writer: 'portal', policy: shopPolicy, ops: [set('cart', '["p"]', at(10))] },
      ]);

    it('bumps sharedRev by exactly one per batch that visibly changes the shared namespace', () => {
      const s = start();
      const { attributes } = mergeOperations(
        s,
        [set('theme', '"dark"', at(20)), set('lang', '"fr"', at(20)), remove('x', at(20))],
        ctx(),
      );
      expect(attributes.sharedRev).toBe(s.sharedRev + 1);
      expect(attributes.privateRevs).toEqual(s.privateRevs);
    });

    it('bumps only the writer’s private revision for a visible private change', () => {
      const s = start();
      const { attributes } = mergeOperations(s, [set('cart', '["a"]', at(20))], ctx());
      expect(attributes.sharedRev).toBe(s.sharedRev);
      expect(attributes.privateRevs.get('shop')).toBe((s.privateRevs.get('shop') ?? 0) + 1);
      expect(attributes.privateRevs.get('portal')).toBe(s.privateRevs.get('portal'));
    });

    it('does not bump any revision for a newer write of the same value, though it is stored', () => {
      const s = start();
      const { attributes, changes } = mergeOperations(
        s,
        [set('theme', '"light"', at(20)), set('cart', '[]', at(20))],
        ctx({ writer: 'shop' }),
      );
      expect(changes).toHaveLength(2);
      expect(attributes.shared.get('theme')?.time).toBe(at(20));
      expect(attributes.sharedRev).toBe(s.sharedRev);
      expect(attributes.privateRevs).toEqual(s.privateRevs);
    });

    it('does not bump any revision when another app overwrites a shared value with the same value', () => {
      const s = start();
      const { attributes } = mergeOperations(s, [set('theme', '"light"', at(20))], {
        ...ctx(),
        writer: 'admin',
        policy: sharedPolicy,
      });
      expect(attributes.shared.get('theme')?.writer).toBe('admin');
      expect(attributes.sharedRev).toBe(s.sharedRev);
    });

    it('does not bump any revision for losing writes', () => {
      const s = start();
      const { attributes, changes } = mergeOperations(
        s,
        [set('theme', '"old"', at(5)), set('cart', '["old"]', at(5))],
        ctx(),
      );
      expect(changes).toEqual([]);
      expect(attributes.sharedRev).toBe(s.sharedRev);
      expect(attributes.privateRevs).toEqual(s.privateRevs);
    });

    it('does not bump any revision for removing an absent key or re-removing a removed one', () => {
      const s = applyAll([{ writer: 'shop', policy: shopPolicy, ops: [remove('gone', at(10))] }]);
      const { attributes } = mergeOperations(
        s,
        [remove('gone', at(20)), remove('never', at(20))],
        ctx(),
      );
      expect(attributes.sharedRev).toBe(0);
      expect(attributes.shared.get('gone')).toEqual(entry(undefined, at(20)));
    });

    it('bumps the revision when a value is removed', () => {
      const s = start();
      const { attributes } = mergeOperations(
        s,
        [remove('theme', at(20)), remove('cart', at(20))],
        ctx(),
      );
      expect(attributes.sharedRev).toBe(s.sharedRev + 1);
      expect(attributes.privateRevs.get('shop')).toBe((s.privateRevs.get('shop') ?? 0) + 1);
    });
  });

  describe('private namespaces', () => {
    it('stores a key the writer’s policy makes private in the writer’s own namespace only', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('cart', '["a"]', at(10)), set('cartTotal', '3', at(10)), set('theme', '"x"', at(10))],
        ctx(),
      );
      expect([...attributes.private.get('shop')!.keys()].sort()).toEqual(['cart', 'cartTotal']);
      expect(attributes.shared.has('cart')).toBe(false);
      expect(attributes.shared.has('theme')).toBe(true);
      expect(changes.filter((c) => c.scope === 'private').map((c) => c.owner)).toEqual([
        'shop',
        'shop',
      ]);
    });

    it('keeps two apps’ private attributes of the same key apart', () => {
      const attributes = applyAll([
        { writer: 'shop', policy: shopPolicy, ops: [set('cart', '"shop-cart"', at(10))] },
        { writer: 'portal', policy: shopPolicy, ops: [set('cart', '"portal-cart"', at(20))] },
        { writer: 'portal', policy: shopPolicy, ops: [remove('cart', at(30))] },
      ]);
      expect(attributes.private.get('shop')!.get('cart')).toEqual(
        entry('"shop-cart"', at(10), 'shop'),
      );
      expect(attributes.private.get('portal')!.get('cart')).toEqual(
        entry(undefined, at(30), 'portal'),
      );
    });

    it('does not let a shared entry of the same key decide a private write', () => {
      const attributes = applyAll([
        { writer: 'admin', policy: sharedPolicy, ops: [set('cart', '"shared"', at(100))] },
        { writer: 'shop', policy: shopPolicy, ops: [set('cart', '"mine"', at(50))] },
      ]);
      expect(attributes.shared.get('cart')?.value).toBe('"shared"');
      expect(attributes.private.get('shop')!.get('cart')?.value).toBe('"mine"');
    });

    it('does not let an app write into the shared namespace a key its policy makes private', () => {
      const { changes } = mergeOperations(
        emptyAttributes(),
        [set('token', '"secret"', at(1))],
        ctx(),
      );
      expect(changes).toEqual([
        { scope: 'private', owner: 'shop', key: 'token', entry: entry('"secret"', at(1)) },
      ]);
    });

    it('leaves other apps’ private namespaces untouched (same map contents)', () => {
      const s = applyAll([
        { writer: 'portal', policy: shopPolicy, ops: [set('cart', '"p"', at(1))] },
      ]);
      const { attributes } = mergeOperations(s, [set('cart', '"s"', at(2))], ctx());
      expect(attributes.private.get('shop')!.get('cart')?.value).toBe('"s"');
      expect([...attributes.private.get('portal')!]).toEqual([...s.private.get('portal')!]);
    });
  });

  describe('tombstone retention', () => {
    const horizon = NOW - RETENTION;

    it('forgets tombstones older than the retention when the namespace is next written', () => {
      const s = applyAll(
        [
          {
            writer: 'shop',
            policy: shopPolicy,
            ops: [remove('old', horizon - 1), remove('cart', horizon - 1)],
          },
        ],
        emptyAttributes(),
        { now: horizon - 1 },
      );
      expect(s.shared.has('old')).toBe(true);
      const { attributes, changes } = mergeOperations(s, [set('theme', '"x"', NOW)], ctx());
      expect(attributes.shared.has('old')).toBe(false);
      expect(attributes.private.get('shop')!.has('cart')).toBe(false);
      expect(changes).toEqual(
        expect.arrayContaining([
          { scope: 'shared', owner: undefined, key: 'old', entry: undefined },
          { scope: 'private', owner: 'shop', key: 'cart', entry: undefined },
        ]),
      );
      expect(attributes.sharedRev).toBe(s.sharedRev + 1); // only for theme
      expect(attributes.privateRevs.get('shop') ?? 0).toBe(s.privateRevs.get('shop') ?? 0);
    });

    it('keeps a tombstone exactly at the retention horizon', () => {
      const s = applyAll(
        [{ writer: 'shop', policy: shopPolicy, ops: [remove('edge', horizon)] }],
        emptyAttributes(),
        {
          now: horizon,
        },
      );
      const { attributes } = mergeOperations(s, [set('theme', '"x"', NOW)], ctx());
      expect(attributes.shared.get('edge')).toEqual(entry(undefined, horizon));
    });

    it('never forgets a live value however old', () => {
      const s = applyAll(
        [{ writer: 'shop', policy: shopPolicy, ops: [set('ancient', '1', 0)] }],
        emptyAttributes(),
        {
          now: 0,
        },
      );
      const { attributes } = mergeOperations(s, [set('theme', '"x"', NOW)], ctx());
      expect(attributes.shared.get('ancient')?.value).toBe('1');
    });

    it('does not forget anything when the batch changes nothing', () => {
      // Written a minute before NOW, when a tombstone at horizon - 1 was still within retention.
      const s = applyAll(
        [
          {
            writer: 'shop',
            policy: shopPolicy,
            ops: [remove('old', horizon - 1), set('k', '"v"', at(10))],
          },
        ],
        emptyAttributes(),
        { now: at(10) },
      );
      expect(s.shared.has('old')).toBe(true);
      // At NOW, `old` has expired; a replay of `k` changes nothing, so nothing is forgotten.
      const replay = mergeOperations(s, [set('k', '"v"', at(10))], ctx());
      expect(replay.changes).toEqual([]);
      expect(replay.attributes.shared.get('old')).toEqual(entry(undefined, horizon - 1));
      // The next batch that does change something forgets it.
      const next = mergeOperations(s, [set('k', '"w"', at(11))], ctx());
      expect(next.attributes.shared.has('old')).toBe(false);
    });

    it('does not forget expired tombstones of another app’s private namespace', () => {
      const s = applyAll(
        [{ writer: 'portal', policy: shopPolicy, ops: [remove('cart', 1)] }],
        emptyAttributes(),
        {
          now: 1,
        },
      );
      const { attributes } = mergeOperations(s, [set('cart', '"x"', NOW)], ctx());
      expect(attributes.private.get('portal')!.get('cart')).toEqual(entry(undefined, 1, 'portal'));
    });

    it('lets a late write older than a kept tombstone lose', () => {
      const s = applyAll([
        {
          writer: 'shop',
          policy: shopPolicy,
          ops: [set('k', '"v"', NOW - 100), remove('k', NOW - 50)],
        },
      ]);
      const { attributes } = mergeOperations(s, [set('k', '"late"', NOW - 75)], ctx());
      expect(attributes.shared.get('k')).toEqual(entry(undefined, NOW - 50));
    });

    it('does not resurrect a removed key when an older write arrives after the tombstone was forgotten', () => {
      const s = applyAll(
        [{ writer: 'shop', policy: shopPolicy, ops: [set('k', '"v"', 100), remove('k', 200)] }],
        emptyAttributes(),
        { now: 200 },
      );
      const forgotten = mergeOperations(
        s,
        [set('other', '1', 300 + RETENTION)],
        ctx({ now: 300 + RETENTION }),
      );
      expect(forgotten.attributes.shared.has('k')).toBe(false);
      const late = mergeOperations(forgotten.attributes, [set('k', '"late"', 150)], {
        ...ctx({ now: 301 + RETENTION }),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(late.attributes.shared.has('k')).toBe(false);
      expect(late.changes).toEqual([]);
    });

    it('drops a write older than now - retention as stale, even on a key never written', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('k', '"stale"', horizon - 1), remove('gone', horizon - 1), set('cart', '[]', 0)],
        ctx(),
      );
      expect(changes).toEqual([]);
      expect(attributes.shared.size).toBe(0);
      expect(attributes.private.get('shop')?.size ?? 0).toBe(0);
      expect(attributes.sharedRev).toBe(0);
    });

    it('accepts a write exactly at the retention horizon', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('edge', '"kept"', horizon), remove('gone', horizon)],
        ctx(),
      );
      expect(attributes.shared.get('edge')).toEqual(entry('"kept"', horizon));
      expect(attributes.shared.get('gone')).toEqual(entry(undefined, horizon));
      expect(changes).toHaveLength(2);
    });

    it('drops a stale write even where it would beat the stored entry', () => {
      const s = applyAll(
        [{ writer: 'portal', policy: sharedPolicy, ops: [set('ancient', '"first"', 0)] }],
        emptyAttributes(),
        { now: 0 },
      );
      const { attributes, changes } = mergeOperations(
        s,
        [set('ancient', '"newer-but-stale"', horizon - 1), remove('ancient', horizon - 1)],
        ctx(),
      );
      expect(changes).toEqual([]);
      expect(attributes.shared.get('ancient')).toEqual(entry('"first"', 0, 'portal'));
    });

    it('measures staleness against the now of each merge, not against other writes', () => {
      const op = [set('k', '"v"', NOW - RETENTION)];
      expect(mergeOperations(emptyAttributes(), op, ctx()).changes).toHaveLength(1);
      expect(mergeOperations(emptyAttributes(), op, ctx({ now: NOW + 1 })).changes).toEqual([]);
    });

    it('drops only the stale writes of a batch and applies the rest', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [set('a', '"stale"', horizon - 1), set('b', '"fresh"', at(1))],
        ctx(),
      );
      expect(attributes.shared.has('a')).toBe(false);
      expect(attributes.shared.get('b')?.value).toBe('"fresh"');
      expect(changes.map((c) => c.key)).toEqual(['b']);
    });
  });

  describe('tombstone cap, per writer', () => {
    const tombstonesBy = (ns: ReadonlyMap<string, AttributeEntry> | undefined, writer: string) =>
      [...(ns ?? [])]
        .filter(([, e]) => e.value === undefined && e.writer === writer)
        .map(([key]) => key)
        .sort();

    it('keeps at most maxTombstonesPerWriter of the writer’s tombstones per namespace, oldest go first', () => {
      const { attributes, changes } = mergeOperations(
        emptyAttributes(),
        [remove('a', at(10)), remove('b', at(30)), remove('c', at(20)), set('live', '1', at(5))],
        ctx({ maxTombstonesPerWriter: 2 }),
      );
      expect([...attributes.shared.keys()].sort()).toEqual(['b', 'c', 'live']);
      // `a` was added and forgotten within this batch, so it was never stored: nothing to write.
      expect(changes.map((c) => c.key).sort()).toEqual(['b', 'c', 'live']);
    });

    it('deletes a stored tombstone that the cap pushes out', () => {
      const first = mergeOperations(
        emptyAttributes(),
        [remove('a', at(10)), remove('b', at(20))],
        ctx({ maxTombstonesPerWriter: 2 }),
      );
      const { attributes, changes } = mergeOperations(
        first.attributes,
        [remove('c', at(30))],
        ctx({ maxTombstonesPerWriter: 2 }),
      );
      expect([...attributes.shared.keys()].sort()).toEqual(['b', 'c']);
      expect(changes).toContainEqual({
        scope: 'shared',
        owner: undefined,
        key: 'a',
        entry: undefined,
      });
    });

    it('reports no change when a full writer replays removals older than all it keeps', () => {
      const batch = [remove('a', at(10)), remove('b', at(20)), remove('c', at(30))];
      const first = mergeOperations(emptyAttributes(), batch, ctx({ maxTombstonesPerWriter: 2 }));
      const replay = mergeOperations(first.attributes, batch, ctx({ maxTombstonesPerWriter: 2 }));
      expect(replay.changes).toEqual([]);
    });

    it('counts the writer’s tombstones across batches', () => {
      const s = applyAll(
        [
          { writer: 'shop', policy: shopPolicy, ops: [remove('a', at(1))] },
          { writer: 'shop', policy: shopPolicy, ops: [remove('b', at(2))] },
          { writer: 'shop', policy: shopPolicy, ops: [remove('c', at(3))] },
        ],
        emptyAttributes(),
        { maxTombstonesPerWriter: 2 },
      );
      expect(tombstonesBy(s.shared, 'shop')).toEqual(['b', 'c']);
    });

    it('counts the shared namespace and the writer’s private namespace separately', () => {
      const { attributes } = mergeOperations(
        emptyAttributes(),
        [remove('s1', at(1)), remove('s2', at(2)), remove('cart1', at(1)), remove('cart2', at(2))],
        ctx({ maxTombstonesPerWriter: 1 }),
      );
      expect([...attributes.shared.keys()]).toEqual(['s2']);
      expect([...attributes.private.get('shop')!.keys()]).toEqual(['cart2']);
    });

    it('keeps every other app’s tombstones when one app floods the namespace with removals', () => {
      const others = applyAll(
        [
          { writer: 'admin', policy: sharedPolicy, ops: [remove('x', at(1)), remove('y', at(2))] },
          { writer: 'portal', policy: sharedPolicy, ops: [remove('z', at(3))] },
        ],
        emptyAttributes(),
        { maxTombstonesPerWriter: 2 },
      );
      const flood = Array.from({ length: 50 }, (_, i) => remove(`junk${i}`, at(10 + i)));
      const { attributes, changes } = mergeOperations(
        others,
        flood,
        ctx({ maxTombstonesPerWriter: 2 }),
      );
      expect(attributes.shared.get('x')).toEqual(entry(undefined, at(1), 'admin'));
      expect(attributes.shared.get('y')).toEqual(entry(undefined, at(2), 'admin'));
      expect(attributes.shared.get('z')).toEqual(entry(undefined, at(3), 'portal'));
      expect(tombstonesBy(attributes.shared, 'shop')).toEqual(['junk48', 'junk49']);
      expect(changes.filter((c) => ['x', 'y', 'z'].includes(c.key))).toEqual([]);
    });

    it('does not count other apps’ tombstones towards the writer’s cap', () => {
      const others = applyAll(
        [
          {
            writer: 'portal',
            policy: sharedPolicy,
            ops: [remove('p1', at(20)), remove('p2', at(21)), remove('p3', at(22))],
          },
        ],
        emptyAttributes(),
        { maxTombstonesPerWriter: 3 },
      );
      const { attributes } = mergeOperations(
        others,
        [remove('s1', at(1)), remove('s2', at(2))],
        ctx({ maxTombstonesPerWriter: 2 }),
      );
      expect(tombstonesBy(attributes.shared, 'shop')).toEqual(['s1', 's2']);
      expect(tombstonesBy(attributes.shared, 'portal')).toEqual(['p1', 'p2', 'p3']);
    });

    it('still forgets another app’s tombstones once they are past the retention', () => {
      const s = applyAll(
        [{ writer: 'portal', policy: sharedPolicy, ops: [remove('old', NOW - RETENTION - 1)] }],
        emptyAttributes(),
        { now: NOW - RETENTION - 1 },
      );
      const { attributes } = mergeOperations(s, [set('k', '1', at(1))], ctx());
      expect(attributes.shared.has('old')).toBe(false);
    });

    it('with maxTombstonesPerWriter 0 keeps no tombstone of the writer (a removal simply deletes)', () => {
      const s = applyAll([
        { writer: 'shop', policy: shopPolicy, ops: [set('k', '"v"', at(1))] },
        { writer: 'portal', policy: sharedPolicy, ops: [remove('other', at(1))] },
      ]);
      const { attributes, changes } = mergeOperations(
        s,
        [remove('k', at(2))],
        ctx({ maxTombstonesPerWriter: 0 }),
      );
      expect(attributes.shared.has('k')).toBe(false);
      expect(attributes.shared.get('other')).toEqual(entry(undefined, at(1), 'portal'));
      expect(changes).toEqual([{ scope: 'shared', owner: undefined, key: 'k', entry: undefined }]);
      expect(attributes.sharedRev).toBe(s.sharedRev + 1);
    });

    it('does not let one app’s flood of removals make another app’s removal revertible', () => {
      const removedByPortal = applyAll(
        [
          {
            writer: 'portal',
            policy: sharedPolicy,
            ops: [set('a', '"v"', at(5)), remove('a', at(10))],
          },
        ],
        emptyAttributes(),
        { maxTombstonesPerWriter: 2 },
      );
      const flooded = applyAll(
        [
          {
            writer: 'shop',
            policy: shopPolicy,
            ops: [remove('b', at(11)), remove('c', at(12)), remove('d', at(13))],
          },
        ],
        removedByPortal,
        { maxTombstonesPerWriter: 2 },
      );
      expect(flooded.shared.get('a')).toEqual(entry(undefined, at(10), 'portal'));
      const late = mergeOperations(flooded, [set('a', '"late"', at(7))], {
        ...ctx({ maxTombstonesPerWriter: 2 }),
        writer: 'admin',
        policy: sharedPolicy,
      });
      expect(late.attributes.shared.get('a')).toEqual(entry(undefined, at(10), 'portal'));
      expect(late.changes).toEqual([]);
    });

    // Documented (docs/merge-rule.md, "Per-app cap"): only the over-active app's own oldest
    // removals lose their protection. A late write older than such a dropped removal, but within
    // the retention, brings the key back.
    it('lets a late write undo the writer’s own oldest removal once the writer exceeded its cap', () => {
      const s = applyAll(
        [
          {
            writer: 'shop',
            policy: shopPolicy,
            ops: [
              set('a', '"v"', at(5)),
              remove('a', at(10)),
              remove('b', at(11)),
              remove('c', at(12)),
            ],
          },
        ],
        emptyAttributes(),
        { maxTombstonesPerWriter: 2 },
      );
      expect(s.shared.has('a')).toBe(false);
      expect(tombstonesBy(s.shared, 'shop')).toEqual(['b', 'c']);
      const late = mergeOperations(s, [set('a', '"late"', at(7))], {
        ...ctx({ maxTombstonesPerWriter: 2 }),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(late.attributes.shared.get('a')).toEqual(entry('"late"', at(7), 'portal'));
      // The removals still under the cap keep protecting their keys.
      const lateB = mergeOperations(s, [set('b', '"late"', at(7))], {
        ...ctx({ maxTombstonesPerWriter: 2 }),
        writer: 'portal',
        policy: sharedPolicy,
      });
      expect(lateB.changes).toEqual([]);
    });
  });

  describe('malformed times', () => {
    // mergeOperations does not check times: the use case refuses NaN and infinite times with
    // assertValidOperation before merging (see attribute-operation-check.spec.ts).
    it('drops writes with negative or minus-infinite times as stale', () => {
      const s = applyAll([
        { writer: 'portal', policy: sharedPolicy, ops: [set('k', '"good"', at(0))] },
      ]);
      const { attributes, changes } = mergeOperations(
        s,
        [
          set('k', '"neg"', -1),
          set('k', '"inf"', Number.NEGATIVE_INFINITY),
          remove('k', Number.NEGATIVE_INFINITY),
          set('fresh', '"neg"', -1),
        ],
        ctx(),
      );
      expect(changes).toEqual([]);
      expect(attributes.shared.get('k')?.value).toBe('"good"');
      expect(attributes.shared.has('fresh')).toBe(false);
    });
  });
});
