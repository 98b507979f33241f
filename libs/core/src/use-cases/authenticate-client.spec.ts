import type { RegisteredApp } from '../apps/registered-app';
import { AttributePolicy, DEFAULT_POLICY_SPEC } from '../attributes/attribute-policy';
import { ManualClock } from '../clock';
import { ClientAuthenticationFailed } from '../errors';
import { AppRegistry } from '../ports/app-registry';
import { SecretHasher } from '../ports/secret-hasher';
import type { ClientAuthCacheSettings } from './authenticate-client';
import { AuthenticateClient } from './authenticate-client';

/** In-memory registry whose apps a test can replace (rotate a secret, disable an app). */
class InMemoryAppRegistry extends AppRegistry {
  readonly apps = new Map<string, RegisteredApp>();

  findByClientId(clientId: string): Promise<RegisteredApp | undefined> {
    return Promise.resolve(this.apps.get(clientId));
  }

  put(app: RegisteredApp): void {
    this.apps.set(app.clientId, app);
  }
}

/** Stands in for the slow hash: `hash:<secret>`, and counts every verification. */
class CountingHasher extends SecretHasher {
  readonly calls: { hash: string | undefined; secret: string }[] = [];

  hash(secret: string): Promise<string> {
    return Promise.resolve(`hash:${secret}:${this.calls.length}`);
  }

  verify(hash: string | undefined, secret: string): Promise<boolean> {
    this.calls.push({ hash, secret });
    return Promise.resolve(hash !== undefined && hash.startsWith(`hash:${secret}:`));
  }
}

const TTL = 60_000;

function app(
  clientId: string,
  secret: string,
  overrides: Partial<RegisteredApp> = {},
): RegisteredApp {
  return {
    clientId,
    realm: 'example.com',
    secretHash: `hash:${secret}:0`,
    policy: new AttributePolicy(DEFAULT_POLICY_SPEC),
    enabled: true,
    redirectUris: [],
    postLogoutRedirectUris: [],
    ...overrides,
  };
}

function setup(cache: Partial<ClientAuthCacheSettings> = {}) {
  const registry = new InMemoryAppRegistry();
  const hasher = new CountingHasher();
  const clock = new ManualClock();
  const auth = new AuthenticateClient(registry, hasher, clock, {
    ttlMs: TTL,
    maxEntries: 100,
    ...cache,
  });
  registry.put(app('shop', 'shop-secret'));
  registry.put(app('portal', 'portal-secret'));
  return { registry, hasher, clock, auth };
}

describe('AuthenticateClient', () => {
  it('runs the slow hash once, then answers from the cache within the TTL', async () => {
    const { auth, hasher, clock } = setup();
    await expect(auth.execute('shop', 'shop-secret')).resolves.toMatchObject({ clientId: 'shop' });
    for (let i = 0; i < 5; i++) {
      clock.advance(TTL / 10);
      await expect(auth.execute('shop', 'shop-secret')).resolves.toMatchObject({
        clientId: 'shop',
      });
    }
    expect(hasher.calls).toHaveLength(1);
  });

  it('returns the registry’s current app object on a cache hit', async () => {
    const { auth, registry } = setup();
    await auth.execute('shop', 'shop-secret');
    const renamedRealm = app('shop', 'shop-secret', { realm: 'other.example.com' });
    registry.put(renamedRealm);
    await expect(auth.execute('shop', 'shop-secret')).resolves.toBe(renamedRealm);
  });

  it('keeps a check that is in use, and runs the slow hash again after a TTL without use', async () => {
    const { auth, hasher, clock } = setup();
    await auth.execute('shop', 'shop-secret');
    clock.advance(TTL - 1);
    await auth.execute('shop', 'shop-secret');
    clock.advance(TTL - 1);
    await auth.execute('shop', 'shop-secret');
    expect(hasher.calls).toHaveLength(1);
    clock.advance(TTL);
    await auth.execute('shop', 'shop-secret');
    expect(hasher.calls).toHaveLength(2);
    // ...and the fresh verification is cached again.
    clock.advance(TTL - 1);
    await auth.execute('shop', 'shop-secret');
    expect(hasher.calls).toHaveLength(2);
  });

  it('shares one slow hash among concurrent checks of the same credentials', async () => {
    const { auth, hasher } = setup();
    await Promise.all(Array.from({ length: 10 }, () => auth.execute('shop', 'shop-secret')));
    expect(hasher.calls).toHaveLength(1);
    const wrong = await Promise.allSettled(
      Array.from({ length: 5 }, () => auth.execute('shop', 'bad')),
    );
    expect(wrong.every((r) => r.status === 'rejected')).toBe(true);
    expect(hasher.calls).toHaveLength(2);
  });

  it('stops trusting the cached result when the app’s secret hash is rotated', async () => {
    const { auth, hasher, registry } = setup();
    await auth.execute('shop', 'shop-secret');
    registry.put(app('shop', 'new-secret', { secretHash: 'hash:new-secret:0' }));
    await expect(auth.execute('shop', 'shop-secret')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
    expect(hasher.calls).toHaveLength(2);
    await expect(auth.execute('shop', 'new-secret')).resolves.toMatchObject({ clientId: 'shop' });
  });

  it('re-verifies when the same secret is re-hashed (new salt), then caches again', async () => {
    const { auth, hasher, registry } = setup();
    await auth.execute('shop', 'shop-secret');
    registry.put(app('shop', 'shop-secret', { secretHash: 'hash:shop-secret:rehashed' }));
    await auth.execute('shop', 'shop-secret');
    await auth.execute('shop', 'shop-secret');
    expect(hasher.calls).toHaveLength(2);
  });

  it('never caches a wrong secret: every attempt runs the slow hash and fails', async () => {
    const { auth, hasher } = setup();
    for (let i = 0; i < 3; i++) {
      await expect(auth.execute('shop', 'wrong')).rejects.toBeInstanceOf(
        ClientAuthenticationFailed,
      );
    }
    expect(hasher.calls).toHaveLength(3);
  });

  it('does not let a cached right secret vouch for a wrong one', async () => {
    const { auth } = setup();
    await auth.execute('shop', 'shop-secret');
    await expect(auth.execute('shop', 'shop-secret ')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
    await expect(auth.execute('shop', '')).rejects.toBeInstanceOf(ClientAuthenticationFailed);
  });

  it('does not let one app’s cached secret authenticate another client id', async () => {
    const { auth } = setup();
    await auth.execute('shop', 'shop-secret');
    await expect(auth.execute('portal', 'shop-secret')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
  });

  it('still runs the slow hash (with no hash) for an unknown client, then fails', async () => {
    const { auth, hasher } = setup();
    await expect(auth.execute('nobody', 'whatever')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
    expect(hasher.calls).toEqual([{ hash: undefined, secret: 'whatever' }]);
  });

  it('fails for an app that is gone, even with a cached result', async () => {
    const { auth, registry } = setup();
    await auth.execute('shop', 'shop-secret');
    registry.apps.delete('shop');
    await expect(auth.execute('shop', 'shop-secret')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
  });

  it('fails for a disabled app with the right secret, after spending the slow hash', async () => {
    const { auth, hasher, registry } = setup();
    registry.put(app('shop', 'shop-secret', { enabled: false }));
    await expect(auth.execute('shop', 'shop-secret')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
    expect(hasher.calls).toHaveLength(1);
  });

  it('fails at once when an app with a cached result is disabled, and works again when re-enabled', async () => {
    const { auth, registry } = setup();
    await auth.execute('shop', 'shop-secret');
    registry.put(app('shop', 'shop-secret', { enabled: false }));
    await expect(auth.execute('shop', 'shop-secret')).rejects.toBeInstanceOf(
      ClientAuthenticationFailed,
    );
    registry.put(app('shop', 'shop-secret'));
    await expect(auth.execute('shop', 'shop-secret')).resolves.toMatchObject({ clientId: 'shop' });
  });

  it('evicts the least recently verified entry beyond maxEntries', async () => {
    const { auth, hasher, registry } = setup({ maxEntries: 2 });
    registry.put(app('admin', 'admin-secret'));
    await auth.execute('shop', 'shop-secret'); // 1
    await auth.execute('portal', 'portal-secret'); // 2
    await auth.execute('admin', 'admin-secret'); // 3, evicts shop
    expect(hasher.calls).toHaveLength(3);
    await auth.execute('portal', 'portal-secret'); // cached
    await auth.execute('admin', 'admin-secret'); // cached
    expect(hasher.calls).toHaveLength(3);
    await auth.execute('shop', 'shop-secret'); // verified again, evicts portal
    expect(hasher.calls).toHaveLength(4);
    await auth.execute('admin', 'admin-secret'); // still cached
    expect(hasher.calls).toHaveLength(4);
    await auth.execute('portal', 'portal-secret');
    expect(hasher.calls).toHaveLength(5);
  });

  it('counts a re-verification after expiry as the most recent entry', async () => {
    const { auth, hasher, clock, registry } = setup({ maxEntries: 2 });
    registry.put(app('admin', 'admin-secret'));
    await auth.execute('shop', 'shop-secret');
    clock.advance(TTL / 2);
    await auth.execute('portal', 'portal-secret');
    clock.advance(TTL / 2);
    await auth.execute('shop', 'shop-secret'); // expired: verified again, moves to the end
    await auth.execute('admin', 'admin-secret'); // evicts portal, not shop
    expect(hasher.calls).toHaveLength(4);
    await auth.execute('shop', 'shop-secret');
    expect(hasher.calls).toHaveLength(4);
  });

  it('with maxEntries 0 caches nothing', async () => {
    const { auth, hasher } = setup({ maxEntries: 0 });
    await auth.execute('shop', 'shop-secret');
    await auth.execute('shop', 'shop-secret');
    expect(hasher.calls).toHaveLength(2);
  });

  it('keeps separate entries for two secrets of the same client while both are valid', async () => {
    const { auth, hasher, registry } = setup();
    // A hasher that accepts both the old and the new secret during a rotation window.
    registry.put(app('shop', 'shop-secret', { secretHash: 'hash:shop-secret:0|hash:next:0' }));
    hasher.verify = (hash, secret) => {
      hasher.calls.push({ hash, secret });
      return Promise.resolve(
        hash?.split('|').some((h) => h.startsWith(`hash:${secret}:`)) ?? false,
      );
    };
    await auth.execute('shop', 'shop-secret');
    await auth.execute('shop', 'next');
    await auth.execute('shop', 'shop-secret');
    await auth.execute('shop', 'next');
    expect(hasher.calls).toHaveLength(2);
  });
});
