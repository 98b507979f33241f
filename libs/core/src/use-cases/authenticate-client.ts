import { createHash } from 'node:crypto';
import type { RegisteredApp } from '../apps/registered-app';
import type { Clock } from '../clock';
import { ClientAuthenticationFailed } from '../errors';
import type { AppRegistry } from '../ports/app-registry';
import type { SecretHasher } from '../ports/secret-hasher';

export interface ClientAuthCacheSettings {
  /** How long a verified client id + secret pair is trusted without re-running the slow hash. */
  readonly ttlMs: number;
  readonly maxEntries: number;
}

interface CachedCheck {
  readonly secretHash: string;
  readonly expiresAt: number;
}

/**
 * Checks an app's client id and secret. The slow hash runs once; a positive result is cached
 * under a digest of the presented secret while it keeps being used (each use extends it by the
 * TTL), and only while the app's stored hash is the one that was checked: a rotated secret or a
 * disabled app ends it as soon as the registry shows the change (on every instance within
 * TESSERA_APP_REFRESH_MS), since every check reads the app first. Failures are never cached. Concurrent checks of the same
 * credentials share one slow hash, so a cold or lapsed cache under load costs one argon2 run,
 * not one per request in flight.
 */
export class AuthenticateClient {
  private readonly verified = new Map<string, CachedCheck>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly apps: AppRegistry,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    private readonly cache: ClientAuthCacheSettings,
  ) {}

  async execute(clientId: string, secret: string): Promise<RegisteredApp> {
    const app = await this.apps.findByClientId(clientId);
    const cacheKey = `${clientId}\u0000${createHash('sha256').update(secret).digest('base64url')}`;
    const cached = this.verified.get(cacheKey);
    const now = this.clock.now();
    if (app?.enabled && cached && cached.secretHash === app.secretHash && cached.expiresAt > now) {
      this.remember(cacheKey, { secretHash: app.secretHash, expiresAt: now + this.cache.ttlMs });
      return app;
    }
    const ok = await this.verifyOnce(
      `${cacheKey}\u0000${app?.secretHash ?? ''}`,
      app?.secretHash,
      secret,
    );
    if (!app || !ok || !app.enabled) throw new ClientAuthenticationFailed();
    this.remember(cacheKey, {
      secretHash: app.secretHash,
      expiresAt: this.clock.now() + this.cache.ttlMs,
    });
    return app;
  }

  /** One slow hash per distinct (credentials, stored hash) at a time; later callers share it. */
  private verifyOnce(key: string, hash: string | undefined, secret: string): Promise<boolean> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.hasher.verify(hash, secret).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private remember(key: string, check: CachedCheck): void {
    this.verified.delete(key);
    this.verified.set(key, check);
    // Maps iterate in insertion order, so the first key is the least recently verified.
    while (this.verified.size > this.cache.maxEntries) {
      this.verified.delete(this.verified.keys().next().value!);
    }
  }
}
