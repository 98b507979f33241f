import type { Clock } from '@tessera/core';
import type { StoredSigningKey } from '@tessera/persistence';
import { SigningKeyStore } from '@tessera/persistence';
import type { CryptoKey, JWK } from 'jose';
import { importJWK } from 'jose';
import type { GeneratedKeyPair } from './key-material';
import { generateSigningKeyPair, SIGNING_ALG } from './key-material';
import type { ScheduleSettings } from './rotation-schedule';
import { currentKey, keyToCreate, nextPublicationAt, publishedKeys } from './rotation-schedule';

/** The key that signs now. */
export interface ActiveSigningKey {
  readonly kid: string;
  readonly alg: typeof SIGNING_ALG;
  readonly privateKey: CryptoKey;
}

/** Other instances' new keys are seen at least this often (well inside the publish lead). */
const RELOAD_MS = 60 * 1000;

/**
 * The service's signing keys: creates them on schedule (race-safe through the store's one key
 * per slot), and answers which key signs and which keys are published. The key list is cached
 * and reloaded every minute and at each publication moment.
 */
export class SigningKeys {
  private cache?: { keys: StoredSigningKey[]; loadedAt: number; until: number };
  private loading?: Promise<StoredSigningKey[]>;
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly store: SigningKeyStore,
    private readonly clock: Clock,
    private readonly settings: ScheduleSettings,
    private readonly generate: () => Promise<GeneratedKeyPair> = generateSigningKeyPair,
  ) {}

  /** The newest key already active. */
  async current(now: number = this.clock.now()): Promise<ActiveSigningKey> {
    const key = currentKey(await this.keysAt(now), now, this.settings);
    if (!key) throw new Error('no active signing key after creating one');
    return { kid: key.kid, alg: SIGNING_ALG, privateKey: await this.privateKeyOf(key) };
  }

  /** The public JWKs of every key not yet retired, including the next one. */
  async published(now: number = this.clock.now()): Promise<JWK[]> {
    return publishedKeys(await this.keysAt(now), now, this.settings).map((k) =>
      publicMembers(k.publicJwk),
    );
  }

  private async keysAt(now: number): Promise<StoredSigningKey[]> {
    const cache = this.cache;
    if (cache && now >= cache.loadedAt && now < cache.until) return cache.keys;
    // Concurrent callers share one reload.
    this.loading ??= this.reload(now).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async reload(now: number): Promise<StoredSigningKey[]> {
    let keys = await this.store.list();
    const planned = keyToCreate(keys, now, this.settings);
    if (planned) {
      const pair = await this.generate();
      await this.store.insertOnce({ ...planned, ...pair, createdAt: now });
      keys = await this.store.list(); // another instance may have won the slot
    }
    await this.recordRetirements(keys, now);
    this.cache = {
      keys,
      loadedAt: now,
      until: Math.min(now + RELOAD_MS, nextPublicationAt(now, this.settings)),
    };
    return keys;
  }

  /**
   * Writes `retiresAt` on the keys the current one replaced (the schedule derives it anyway)
   * and deletes keys past it: their private parts are no longer needed.
   */
  private async recordRetirements(keys: StoredSigningKey[], now: number): Promise<void> {
    const current = currentKey(keys, now, this.settings);
    if (!current) return;
    if (keys.some((k) => k.activatesAt < current.activatesAt && k.retiresAt === undefined)) {
      await this.store.retireOlderThan(
        current.activatesAt,
        current.activatesAt + this.settings.retireAfterMs,
      );
    }
    await this.store.deleteRetired(now);
  }

  private privateKeyOf(key: StoredSigningKey): Promise<CryptoKey> {
    let imported = this.imported.get(key.kid);
    if (!imported) {
      imported = importJWK(key.privateJwk as JWK, SIGNING_ALG) as Promise<CryptoKey>;
      this.imported.set(key.kid, imported);
    }
    return imported;
  }
}

/** Only the public members of an EC key, by construction: a private `d` can never leak. */
function publicMembers(jwk: Readonly<Record<string, unknown>>): JWK {
  const { kty, crv, x, y, kid, alg, use } = jwk as JWK;
  return { kty, crv, x, y, kid, alg, use };
}
