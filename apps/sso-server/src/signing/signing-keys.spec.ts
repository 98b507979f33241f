import { ManualClock } from '@tessera/core';
import type { StoredSigningKey } from '@tessera/persistence';
import { SigningKeyStore } from '@tessera/persistence';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { SigningKeys } from './signing-keys';

const HOUR = 60 * 60 * 1000;
const settings = { rotationMs: 720 * HOUR, publishLeadMs: 24 * HOUR, retireAfterMs: 3 * 60 * 1000 };

/** The store's contract in memory: one key per slot, first insert wins. */
class MemoryKeyStore extends SigningKeyStore {
  readonly keys = new Map<string, StoredSigningKey>();
  list = () =>
    Promise.resolve([...this.keys.values()].sort((a, b) => a.activatesAt - b.activatesAt));
  insertOnce(key: StoredSigningKey): Promise<void> {
    if (!this.keys.has(key.slot)) this.keys.set(key.slot, key);
    return Promise.resolve();
  }
  retireOlderThan(activatedBefore: number, retiresAt: number): Promise<void> {
    for (const [slot, k] of this.keys) {
      if (k.activatesAt < activatedBefore && k.retiresAt === undefined) {
        this.keys.set(slot, { ...k, retiresAt });
      }
    }
    return Promise.resolve();
  }
  deleteRetired(now: number): Promise<void> {
    for (const [slot, k] of this.keys) {
      if (k.retiresAt !== undefined && k.retiresAt <= now) this.keys.delete(slot);
    }
    return Promise.resolve();
  }
}

async function signingKid(keys: SigningKeys, now: number): Promise<string> {
  const key = await keys.current(now);
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(key.privateKey);
  return decodeProtectedHeader(jwt).kid!;
}

const kids = async (keys: SigningKeys, now: number) =>
  (await keys.published(now)).map((k) => k.kid).sort();

describe('SigningKeys rotation schedule', () => {
  // One hour into a slot, on a slot-aligned epoch.
  const slotStart = 40 * settings.rotationMs;
  let clock: ManualClock;
  let store: MemoryKeyStore;
  let keys: SigningKeys;

  beforeEach(() => {
    clock = new ManualClock(slotStart + HOUR);
    store = new MemoryKeyStore();
    keys = new SigningKeys(store, clock, settings);
  });

  it('creates one key active at once on first start, and publishes only its public part', async () => {
    const first = await keys.current(clock.now());
    const published = await keys.published(clock.now());
    expect(published).toEqual([
      expect.objectContaining({ kid: first.kid, kty: 'EC', crv: 'P-256', alg: 'ES256' }),
    ]);
    expect(published[0]).not.toHaveProperty('d');
    expect(store.keys.size).toBe(1);
  });

  it('publishes the next key a lead before it signs, then signs with it, then retires the old one', async () => {
    const first = (await keys.current(clock.now())).kid;
    const nextSlot = slotStart + settings.rotationMs;

    // Just before the lead: nothing new.
    clock.set(nextSlot - settings.publishLeadMs - 1);
    expect(await kids(keys, clock.now())).toEqual([first]);

    // Inside the lead: the next key is published but does not sign yet.
    clock.set(nextSlot - settings.publishLeadMs);
    const published = await kids(keys, clock.now());
    expect(published).toHaveLength(2);
    const next = published.find((kid) => kid !== first)!;
    expect(await signingKid(keys, clock.now())).toBe(first);
    clock.set(nextSlot - 1);
    expect(await signingKid(keys, clock.now())).toBe(first);

    // From activation on, the next key signs; the old one stays published until retirement.
    clock.set(nextSlot);
    expect(await signingKid(keys, clock.now())).toBe(next);
    clock.set(nextSlot + settings.retireAfterMs - 1);
    expect(await kids(keys, clock.now())).toEqual([first, next].sort());

    clock.set(nextSlot + settings.retireAfterMs);
    expect(await kids(keys, clock.now())).toEqual([next]);
    // The next reload (at most a minute later) deletes the retired key's document.
    clock.advance(60 * 1000);
    await keys.published(clock.now());
    expect([...store.keys.values()].map((k) => k.kid)).toEqual([next]);
  });

  it('after downtime, publishes the missed slot key a lead before it signs', async () => {
    const first = (await keys.current(clock.now())).kid;
    // Down through the next slot's whole lead: back in the middle of that slot.
    const back = slotStart + settings.rotationMs + 10 * HOUR;
    clock.set(back);
    const published = await kids(keys, clock.now());
    expect(published).toHaveLength(2);
    expect(await signingKid(keys, clock.now())).toBe(first);
    clock.set(back + settings.publishLeadMs);
    expect(await signingKid(keys, clock.now())).not.toBe(first);
  });
});
