import { ManualClock } from '@tessera/core';
import { SigningKeyStore } from '@tessera/persistence';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';
import { SigningKeys } from './signing-keys';

const HOUR = 60 * 60 * 1000;
const settings = { rotationMs: 720 * HOUR, publishLeadMs: 24 * HOUR, retireAfterMs: 3 * 60 * 1000 };

describe('SigningKeys on a real database', () => {
  let persistence: PersistenceUnderTest;

  beforeAll(async () => {
    persistence = await startPersistence('signing-keys');
  });

  afterAll(() => persistence.close());

  it('several instances creating keys at once end with one key per slot', async () => {
    const store = persistence.moduleRef.get(SigningKeyStore);
    const clock = new ManualClock(50 * settings.rotationMs + HOUR);
    const instances = Array.from({ length: 6 }, () => new SigningKeys(store, clock, settings));

    const first = await Promise.all(instances.map((keys) => keys.current(clock.now())));
    expect(new Set(first.map((k) => k.kid)).size).toBe(1);

    // Every instance reaches the next slot's lead at the same moment.
    clock.set(51 * settings.rotationMs - settings.publishLeadMs);
    const published = await Promise.all(instances.map((keys) => keys.published(clock.now())));
    for (const keys of published) expect(keys).toHaveLength(2);
    expect(new Set(published.flat().map((k) => k.kid)).size).toBe(2);

    const stored = await store.list();
    expect(stored.map((k) => k.slot)).toEqual([
      new Date(50 * settings.rotationMs).toISOString(),
      new Date(51 * settings.rotationMs).toISOString(),
    ]);
  });
});
