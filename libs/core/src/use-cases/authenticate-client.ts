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
 * briefly under a digest of the presented secret, and only while the app's stored hash is the
 * one that was checked (a rotated secret invalidates it). Failures are never cached.
 */
export class AuthenticateClient {
  private readonly verified = new Map<string, CachedCheck>();

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
      return app;
    }
    const ok = await this.hasher.verify(app?.secretHash, secret);
    if (!app || !ok || !app.enabled) throw new ClientAuthenticationFailed();
    this.remember(cacheKey, { secretHash: app.secretHash, expiresAt: now + this.cache.ttlMs });
    return app;
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
