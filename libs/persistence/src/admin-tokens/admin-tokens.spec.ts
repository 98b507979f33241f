import type { AdminToken } from '@tessera/core';
import {
  AdminTokenNotFound,
  AdminTokenStore,
  BootstrapAdminToken,
  CreateAdminToken,
  cryptoRandom,
  formatAdminToken,
  InvalidAdminTokenInput,
  LAST_USED_RESOLUTION_MS,
  ListAdminTokens,
  ManualClock,
  newAdminTokenParts,
  parseAdminToken,
  RevokeAdminToken,
  VerifyAdminToken,
} from '@tessera/core';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

/** The admin token use cases on MongoAdminTokenStore and the real database. */
describe('admin tokens (real database)', () => {
  let persistence: PersistenceUnderTest;
  let store: AdminTokenStore;
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  let create: CreateAdminToken;
  let verify: VerifyAdminToken;
  let revoke: RevokeAdminToken;

  beforeAll(async () => {
    persistence = await startPersistence('admin_tokens');
    store = persistence.moduleRef.get(AdminTokenStore);
    create = new CreateAdminToken(store, clock, cryptoRandom);
    verify = new VerifyAdminToken(store, clock);
    revoke = new RevokeAdminToken(store, clock);
  });

  afterAll(() => persistence.close());

  const raw = (id: string) =>
    persistence.connection
      .collection<{ _id: string; lastUsedAt?: Date }>('admin_tokens')
      .findOne({ _id: id });

  it('verifies a created token and tells who holds it', async () => {
    const { token, value } = await create.execute({ name: 'ops', scope: 'full' });
    expect(await verify.execute(value)).toEqual({
      tokenId: token.id,
      name: 'ops',
      scopes: ['full'],
    });
    expect(await store.findById(token.id)).toMatchObject({
      ...token,
      validatorHash: expect.any(String),
    });
  });

  it('refuses a wrong validator, an unknown id and a malformed value', async () => {
    const { value } = await create.execute({ name: 'x', scope: 'read' });
    const parts = parseAdminToken(value)!;
    const other = newAdminTokenParts(cryptoRandom);
    expect(
      await verify.execute(formatAdminToken({ id: parts.id, validator: other.validator })),
    ).toBeUndefined();
    expect(await verify.execute(formatAdminToken(other))).toBeUndefined();
    expect(await verify.execute(value.slice(1))).toBeUndefined();
  });

  it('refuses a revoked token at once, keeping the first revocation time', async () => {
    const { token, value } = await create.execute({ name: 'gone', scope: 'full' });
    const revokedAt = clock.now();
    expect(await revoke.execute(token.id)).toMatchObject({ id: token.id, revokedAt });
    expect(await verify.execute(value)).toBeUndefined();
    clock.advance(1000);
    expect((await revoke.execute(token.id)).revokedAt).toBe(revokedAt);
    await expect(revoke.execute('a'.repeat(22))).rejects.toBeInstanceOf(AdminTokenNotFound);
  });

  it('moves lastUsedAt at most once a minute', async () => {
    const { token, value } = await create.execute({ name: 'busy', scope: 'read' });
    const first = clock.now();
    await verify.execute(value);
    expect((await raw(token.id))?.lastUsedAt).toEqual(new Date(first));
    clock.advance(LAST_USED_RESOLUTION_MS - 1);
    await verify.execute(value);
    expect((await raw(token.id))?.lastUsedAt).toEqual(new Date(first));
    clock.advance(1);
    await verify.execute(value);
    expect((await raw(token.id))?.lastUsedAt).toEqual(new Date(clock.now()));
  });

  it('refuses names that are empty, blank, too long or hold invisible characters', async () => {
    const invisible = ['a\u0000b', 'line\nbreak', 'zero\u200bwidth', 'lone\ud800', '\u202eevil'];
    for (const name of ['', '   ', 'x'.repeat(65), ...invisible]) {
      await expect(create.execute({ name, scope: 'read' })).rejects.toBeInstanceOf(
        InvalidAdminTokenInput,
      );
    }
    await expect(create.execute({ name: 'x', scope: 'admin' as 'read' })).rejects.toBeInstanceOf(
      InvalidAdminTokenInput,
    );
  });

  it('stores the bootstrap token once under concurrent starts, and never revives a revoked one', async () => {
    const value = formatAdminToken(newAdminTokenParts(cryptoRandom));
    const bootstrap = new BootstrapAdminToken(store, clock);
    const results = await Promise.all(Array.from({ length: 5 }, () => bootstrap.execute(value)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const caller = await verify.execute(value);
    expect(caller).toMatchObject({ name: 'bootstrap', scopes: ['full'] });
    await revoke.execute(caller!.tokenId);
    expect(await bootstrap.execute(value)).toBe(false);
    expect(await verify.execute(value)).toBeUndefined();
    await expect(bootstrap.execute('tsk.short')).rejects.toThrow(/format/);
  });

  it('lists newest first by keyset pages, ties on the creation time broken by id', async () => {
    const listing = new ListAdminTokens(store);
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) await create.execute({ name: `same-time-${i}`, scope: 'read' });
    clock.advance(1);
    await create.execute({ name: 'newest', scope: 'read' });
    const seen: AdminToken[] = [];
    let after: { createdAt: number; id: string } | undefined;
    do {
      const page = await listing.execute({ after, limit: 2 });
      seen.push(...page.tokens);
      after = page.next;
    } while (after);
    const all = await persistence.connection.collection('admin_tokens').countDocuments();
    expect(seen).toHaveLength(all);
    expect(seen[0].name).toBe('newest');
    const keys = seen.map((t) => [t.createdAt, t.id] as const);
    for (let i = 1; i < keys.length; i++) {
      const [prevAt, prevId] = keys[i - 1];
      const [at, id] = keys[i];
      expect(prevAt > at || (prevAt === at && prevId > id)).toBe(true);
    }
    expect(seen.some((t) => 'validatorHash' in t)).toBe(false);
  });
});
