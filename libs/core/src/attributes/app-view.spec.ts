import { appViewOf, viewVersionOf } from './app-view';
import type { AttributeEntry, SessionAttributes } from './attribute-entry';
import { emptyAttributes } from './attribute-entry';
import { AttributePolicy } from './attribute-policy';
import type { AttributeOperation } from './merge';
import { mergeOperations } from './merge';

const NOW = Date.UTC(2030, 0, 1);

/** shop keeps its cart and token private; portal keeps `cart` (exactly) private; admin shares only a few keys. */
const POLICIES = {
  shop: new AttributePolicy({
    defaultScope: 'shared',
    sharedKeys: [],
    privateKeys: ['cart*', 'token'],
  }),
  portal: new AttributePolicy({ defaultScope: 'shared', sharedKeys: [], privateKeys: ['cart'] }),
  admin: new AttributePolicy({
    defaultScope: 'private',
    sharedKeys: ['theme', 'user*'],
    privateKeys: [],
  }),
};
type App = keyof typeof POLICIES;

const set = (key: string, value: string, time = NOW): AttributeOperation => ({
  kind: 'set',
  key,
  value,
  time,
});
const remove = (key: string, time = NOW): AttributeOperation => ({ kind: 'remove', key, time });

function write(
  attributes: SessionAttributes,
  app: App,
  ops: AttributeOperation[],
): SessionAttributes {
  return mergeOperations(attributes, ops, {
    writer: app,
    policy: POLICIES[app],
    now: NOW,
    maxClockSkewMs: 1_000,
    tombstoneRetentionMs: 86_400_000,
    maxTombstonesPerWriter: 100,
  }).attributes;
}

const view = (attributes: SessionAttributes, app: App) => appViewOf(attributes, app, POLICIES[app]);
const version = (attributes: SessionAttributes, app: App, profileRev = 0) =>
  viewVersionOf(attributes, app, POLICIES[app], profileRev);
const asObject = (m: ReadonlyMap<string, string>) => Object.fromEntries([...m].sort());

const e = (value: string | undefined, writer: string, time = NOW): AttributeEntry => ({
  value,
  time,
  writer,
});

describe('appViewOf', () => {
  it('shows shared attributes to every app that treats the key as shared, as JSON text', () => {
    const attributes = write(emptyAttributes(), 'shop', [
      set('theme', '"dark"'),
      set('user.name', '"Ann"'),
    ]);
    expect(asObject(view(attributes, 'shop').shared)).toEqual({
      theme: '"dark"',
      'user.name': '"Ann"',
    });
    expect(asObject(view(attributes, 'portal').shared)).toEqual({
      theme: '"dark"',
      'user.name': '"Ann"',
    });
    expect(asObject(view(attributes, 'admin').shared)).toEqual({
      theme: '"dark"',
      'user.name': '"Ann"',
    });
  });

  it('never shows app B the private attribute app A stored under the same key', () => {
    let attributes = write(emptyAttributes(), 'shop', [set('cart', '"shop-cart"')]);
    attributes = write(attributes, 'portal', [set('cart', '"portal-cart"', NOW + 1)]);
    expect(asObject(view(attributes, 'shop').private)).toEqual({ cart: '"shop-cart"' });
    expect(asObject(view(attributes, 'portal').private)).toEqual({ cart: '"portal-cart"' });
    expect(view(attributes, 'shop').shared.has('cart')).toBe(false);
    expect(view(attributes, 'portal').shared.has('cart')).toBe(false);
    expect(view(attributes, 'admin').private.has('cart')).toBe(false);
  });

  it('gives an app a key it treats as private only from its own namespace, never from the shared one', () => {
    // portal treats `cartId` as shared and writes it there; shop's `cart*` makes it private.
    const withSharedCart = write(emptyAttributes(), 'portal', [set('cartId', '"c-1"')]);
    const v = view(withSharedCart, 'shop');
    expect(withSharedCart.shared.get('cartId')?.value).toBe('"c-1"');
    expect(v.shared.has('cartId')).toBe(false);
    expect(v.private.has('cartId')).toBe(false);
  });

  it('gives an app a key it treats as shared only from the shared namespace, even if its own namespace has one', () => {
    // A leftover private entry from an earlier policy in which `theme` was private.
    const attributes: SessionAttributes = {
      ...emptyAttributes(),
      shared: new Map([['theme', e('"shared"', 'admin')]]),
      private: new Map([['shop', new Map([['theme', e('"stale-private"', 'shop')]])]]),
    };
    const v = view(attributes, 'shop');
    expect(v.shared.get('theme')).toBe('"shared"');
    expect(v.private.has('theme')).toBe(false);
  });

  it('hides tombstones in both namespaces', () => {
    let attributes = write(emptyAttributes(), 'shop', [set('theme', '"x"'), set('cart', '[]')]);
    attributes = write(attributes, 'shop', [remove('theme', NOW + 1), remove('cart', NOW + 1)]);
    expect(view(attributes, 'shop').shared.size).toBe(0);
    expect(view(attributes, 'shop').private.size).toBe(0);
  });

  it('answers empty maps for an app that has never written anything', () => {
    const v = view(emptyAttributes(), 'portal');
    expect(v.shared.size).toBe(0);
    expect(v.private.size).toBe(0);
  });

  it('never returns the same key in both maps', () => {
    let attributes = emptyAttributes();
    for (const app of ['shop', 'portal', 'admin'] as const) {
      attributes = write(
        attributes,
        app,
        ['theme', 'cart', 'cartId', 'token', 'user.id', 'notes'].map((k) => set(k, `"${app}"`)),
      );
    }
    for (const app of ['shop', 'portal', 'admin'] as const) {
      const v = view(attributes, app);
      for (const key of v.private.keys()) expect(v.shared.has(key)).toBe(false);
    }
  });

  it('uses the reader’s policy, not the writer’s, to decide what the reader sees', () => {
    // `notes` is private for admin (private default) but shared for portal.
    let attributes = write(emptyAttributes(), 'admin', [set('notes', '"admin-notes"')]);
    attributes = write(attributes, 'portal', [set('notes', '"portal-notes"')]);
    expect(view(attributes, 'admin').private.get('notes')).toBe('"admin-notes"');
    expect(view(attributes, 'admin').shared.has('notes')).toBe(false);
    expect(view(attributes, 'portal').shared.get('notes')).toBe('"portal-notes"');
    expect(view(attributes, 'shop').shared.get('notes')).toBe('"portal-notes"');
  });
});

describe('viewVersionOf', () => {
  const start = () => {
    let attributes = write(emptyAttributes(), 'shop', [set('theme', '"x"'), set('cart', '[]')]);
    attributes = write(attributes, 'portal', [set('cart', '["p"]')]);
    return attributes;
  };

  it('is made of the shared revision, the app’s own private revision, the profile revision and the policy fingerprint', () => {
    const attributes: SessionAttributes = {
      ...emptyAttributes(),
      sharedRev: 35,
      privateRevs: new Map([['shop', 36]]),
    };
    expect(viewVersionOf(attributes, 'shop', POLICIES.shop, 37)).toBe(
      `z.10.11.${POLICIES.shop.fingerprint}`,
    );
    expect(viewVersionOf(attributes, 'portal', POLICIES.portal, 0)).toBe(
      `z.0.0.${POLICIES.portal.fingerprint}`,
    );
  });

  it('changes for every app when the shared namespace changes', () => {
    const s = start();
    const after = write(s, 'admin', [set('theme', '"y"', NOW + 1)]);
    for (const app of ['shop', 'portal', 'admin'] as const) {
      expect(version(after, app)).not.toBe(version(s, app));
    }
  });

  it('changes for an app when its own private namespace changes', () => {
    const s = start();
    const after = write(s, 'shop', [set('cart', '["new"]', NOW + 1)]);
    expect(version(after, 'shop')).not.toBe(version(s, 'shop'));
    expect(asObject(view(after, 'shop').private)).toEqual({ cart: '["new"]' });
  });

  it('does not change, and neither does the view, when another app’s private namespace changes', () => {
    const s = start();
    const after = write(s, 'portal', [set('cart', '["other"]', NOW + 1), remove('cart', NOW + 2)]);
    expect(version(after, 'portal')).not.toBe(version(s, 'portal'));
    expect(version(after, 'shop')).toBe(version(s, 'shop'));
    expect(version(after, 'admin')).toBe(version(s, 'admin'));
    expect(asObject(view(after, 'shop').private)).toEqual(asObject(view(s, 'shop').private));
  });

  it('does not change for a replayed or losing batch', () => {
    const s = start();
    const replay = write(s, 'shop', [set('theme', '"x"'), set('cart', '[]')]);
    const losing = write(s, 'shop', [
      set('theme', '"old"', NOW - 1),
      set('cart', '["old"]', NOW - 1),
    ]);
    expect(version(replay, 'shop')).toBe(version(s, 'shop'));
    expect(version(losing, 'shop')).toBe(version(s, 'shop'));
  });

  it('changes when the principal’s profile changes', () => {
    const s = start();
    expect(version(s, 'shop', 1)).not.toBe(version(s, 'shop', 0));
  });

  it('changes when the app’s policy changes, even with the same revisions', () => {
    const s = start();
    const widened = new AttributePolicy({ ...POLICIES.shop.spec, privateKeys: ['cart*'] });
    expect(viewVersionOf(s, 'shop', widened, 0)).not.toBe(version(s, 'shop'));
  });

  it('is not ambiguous between revisions (1.11 vs 11.1)', () => {
    const a: SessionAttributes = {
      ...emptyAttributes(),
      sharedRev: 1,
      privateRevs: new Map([['shop', 37]]),
    };
    const b: SessionAttributes = {
      ...emptyAttributes(),
      sharedRev: 37,
      privateRevs: new Map([['shop', 1]]),
    };
    expect(version(a, 'shop')).not.toBe(version(b, 'shop'));
  });
});
