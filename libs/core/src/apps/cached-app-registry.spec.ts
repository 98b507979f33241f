import { AttributePolicy, DEFAULT_POLICY_SPEC } from '../attributes/attribute-policy';
import { AppStore } from '../ports/app-store';
import type { AppChanges, AppRecord, NewApp } from './app-record';
import { CachedAppRegistry } from './cached-app-registry';

/** Counts the reads the registry makes; apps and generation are set by the test. */
class CountingStore extends AppStore {
  apps: AppRecord[] = [];
  currentGeneration = 1;
  generationReads = 0;
  loads = 0;
  /** When set, generation() waits for it: a read in flight. */
  gate?: Promise<void>;

  async generation(): Promise<number> {
    this.generationReads++;
    const seen = this.currentGeneration;
    await this.gate;
    return seen;
  }

  loadAll(): Promise<AppRecord[]> {
    this.loads++;
    return Promise.resolve([...this.apps]);
  }

  put(app: AppRecord): void {
    this.apps = [...this.apps.filter((a) => a.clientId !== app.clientId), app];
    this.currentGeneration++;
  }

  find(): Promise<AppRecord | undefined> {
    throw new Error('not used');
  }
  list(): Promise<AppRecord[]> {
    throw new Error('not used');
  }
  register(_app: NewApp): Promise<AppRecord> {
    throw new Error('not used');
  }
  change(_id: string, _changes: AppChanges): Promise<AppRecord> {
    throw new Error('not used');
  }
  insertMissing(): Promise<string[]> {
    throw new Error('not used');
  }
}

function app(clientId: string, overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    clientId,
    realm: 'example',
    secretHash: `hash-of-${clientId}`,
    enabled: true,
    policy: new AttributePolicy(DEFAULT_POLICY_SPEC),
    redirectUris: [],
    postLogoutRedirectUris: [],
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

function setup(refreshMs = 1000) {
  const store = new CountingStore();
  store.put(app('shop'));
  store.put(app('elsewhere', { realm: 'removed-realm' }));
  let now = 0;
  const registry = new CachedAppRegistry(
    store,
    { refreshMs, knownRealms: new Set(['example']) },
    () => now,
  );
  return { store, registry, advance: (ms: number) => (now += ms) };
}

describe('CachedAppRegistry', () => {
  it('loads on first use and answers from memory within the refresh bound', async () => {
    const { store, registry, advance } = setup();
    expect((await registry.findByClientId('shop'))?.secretHash).toBe('hash-of-shop');
    advance(999);
    await registry.findByClientId('shop');
    await registry.findByClientId('nobody');
    expect(store.generationReads).toBe(1);
    expect(store.loads).toBe(1);
  });

  it('sees a change once the bound has passed, and reloads only when the generation moved', async () => {
    const { store, registry, advance } = setup();
    await registry.findByClientId('shop');
    store.put(app('shop', { enabled: false }));
    advance(999);
    expect((await registry.findByClientId('shop'))?.enabled).toBe(true);
    advance(1);
    expect((await registry.findByClientId('shop'))?.enabled).toBe(false);
    expect(store.loads).toBe(2);
    advance(1000);
    await registry.findByClientId('shop');
    expect(store.generationReads).toBe(3);
    expect(store.loads).toBe(2);
  });

  it('hides apps whose realm is not in the realms file', async () => {
    const { registry } = setup();
    expect(await registry.findByClientId('elsewhere')).toBeUndefined();
  });

  it('shares one generation read among lookups that arrive while it is in flight', async () => {
    const { store, registry } = setup();
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const lookups = Promise.all([1, 2, 3].map(() => registry.findByClientId('shop')));
    open();
    expect((await lookups).every((found) => found?.clientId === 'shop')).toBe(true);
    expect(store.generationReads).toBe(1);
  });

  it('after invalidate() rereads at once; a read begun before the change does not count as fresh', async () => {
    const { store, registry } = setup();
    await registry.findByClientId('shop');
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    registry.invalidate();
    const before = registry.findByClientId('shop'); // reads the generation of before the change
    store.put(app('shop', { secretHash: 'rotated' }));
    registry.invalidate(); // what the admin API does after its write
    open();
    await before;
    store.gate = undefined;
    expect((await registry.findByClientId('shop'))?.secretHash).toBe('rotated');
  });
});
