import { getConnectionToken } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import type { AccountKey, AccountPage, LocalAccount } from '@tessera/core';
import { AccountAlreadyExists, AccountStore, summarizeAccount } from '@tessera/core';
import type { Connection } from 'mongoose';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

describe('MongoAccountStore (real database)', () => {
  let persistence: PersistenceUnderTest;
  let moduleRef: TestingModule;
  let store: AccountStore;
  let connection: Connection;
  let counter = 0;

  beforeAll(async () => {
    persistence = await startPersistence('accounts');
    moduleRef = persistence.moduleRef;
    store = moduleRef.get(AccountStore);
    connection = moduleRef.get(getConnectionToken());
  });

  afterAll(async () => {
    await persistence.close();
  });

  function account(
    realm: string,
    username: string,
    overrides: Partial<LocalAccount> = {},
  ): LocalAccount {
    return {
      id: `A${String(++counter).padStart(21, '0')}`,
      realm,
      username,
      passwordHash: `$argon2id$hash-of-${username}`,
      profile: { name: username.toUpperCase(), email: `${username}@example.test` },
      disabled: false,
      createdAt: Date.UTC(2030, 0, 1) + counter,
      updatedAt: Date.UTC(2030, 0, 1) + counter,
      passwordChangedAt: Date.UTC(2030, 0, 1) + counter,
      ...overrides,
    };
  }

  it('finds an account by realm and username, and only there', async () => {
    const ada = account('find', 'ada');
    await store.createAccount(ada);
    expect(await store.findByUsername('find', 'ada')).toEqual(ada);
    expect(await store.findByUsername('other', 'ada')).toBeUndefined();
    expect(await store.findByUsername('find', 'ad')).toBeUndefined();
  });

  it('refuses a second account with the same realm and username, keeping the first', async () => {
    const first = account('unique', 'grace');
    await store.createAccount(first);
    await expect(
      store.createAccount(account('unique', 'grace', { passwordHash: 'x' })),
    ).rejects.toEqual(new AccountAlreadyExists('unique', 'grace'));
    expect(await store.findByUsername('unique', 'grace')).toEqual(first);
    // The same name in another realm is another account.
    await expect(store.createAccount(account('unique-2', 'grace'))).resolves.toBeUndefined();
  });

  it('creates exactly one account when creations of one name race', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => store.createAccount(account('race', 'linus'))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AccountAlreadyExists);
    }
    expect(await connection.collection('accounts').countDocuments({ realm: 'race' })).toBe(1);
  });

  it('changes the password hash and the disabled flag of one account by id', async () => {
    const ada = account('change', 'ada');
    const bob = account('change', 'bob');
    await store.createAccount(ada);
    await store.createAccount(bob);
    const at = ada.createdAt + 60_000;
    const shown = summarizeAccount(ada);
    expect(await store.updateAccount(ada.id, { passwordHash: 'new-hash', at })).toEqual({
      ...shown,
      updatedAt: at,
      passwordChangedAt: at,
    });
    expect(await store.updateAccount(ada.id, { disabled: true, at: at + 1 })).toEqual({
      ...shown,
      disabled: true,
      updatedAt: at + 1,
      passwordChangedAt: at,
    });
    expect(await store.findByUsername('change', 'ada')).toEqual({
      ...ada,
      passwordHash: 'new-hash',
      disabled: true,
      updatedAt: at + 1,
      passwordChangedAt: at,
    });
    expect(await store.findByUsername('change', 'bob')).toEqual(bob);
    await store.updateAccount(ada.id, { disabled: false, at: at + 2 });
    expect((await store.findByUsername('change', 'ada'))?.disabled).toBe(false);
    expect(await store.updateAccount('missing', { disabled: true, at })).toBeUndefined();
    expect(
      await connection.collection('accounts').countDocuments({ _id: 'missing' as never }),
    ).toBe(0);
  });

  it('keeps both of a disable and a password reset that race (no lost update, FerretDB included)', async () => {
    for (let round = 0; round < 5; round++) {
      const victim = account('race-change', `victim-${round}`);
      await store.createAccount(victim);
      const at = victim.createdAt + 1;
      await Promise.all([
        store.updateAccount(victim.id, { disabled: true, at }),
        store.updateAccount(victim.id, { passwordHash: `hash-${round}`, at }),
        store.updateAccount(victim.id, { disabled: true, at }),
        store.updateAccount(victim.id, { passwordHash: `hash-${round}`, at }),
      ]);
      const after = await store.findByUsername('race-change', victim.username);
      expect(after).toMatchObject({ disabled: true, passwordHash: `hash-${round}` });
    }
  });

  it('reads and changes accounts stored before they had change times or a revision', async () => {
    const old = account('legacy', 'ada');
    await connection.collection('accounts').insertOne({
      _id: old.id as never,
      realm: old.realm,
      username: old.username,
      passwordHash: old.passwordHash,
      profile: old.profile,
      disabled: false,
      createdAt: new Date(old.createdAt),
    });
    expect(await store.findByUsername('legacy', 'ada')).toEqual(old);
    const changed = await store.updateAccount(old.id, { disabled: true, at: old.createdAt + 5 });
    expect(changed).toMatchObject({ disabled: true, updatedAt: old.createdAt + 5 });
    expect(changed?.passwordChangedAt).toBe(old.createdAt);
  });

  describe('listing', () => {
    beforeAll(async () => {
      for (const name of ['erin', 'carol', 'alice', 'dave', 'bob', 'al.x', 'al*']) {
        await store.createAccount(account('list', name));
      }
      await store.createAccount(account('list-other', 'aaron'));
      await store.createAccount(account('list-other', 'alice'));
    });

    const names = (page: AccountPage) => page.accounts.map((a) => `${a.realm}/${a.username}`);

    it('pages through a realm in username order, never showing password hashes', async () => {
      const first = await store.listAccounts({ realm: 'list', limit: 3 });
      expect(names(first)).toEqual(['list/al*', 'list/al.x', 'list/alice']);
      expect(first.next).toEqual({ realm: 'list', username: 'alice' });
      const second = await store.listAccounts({ realm: 'list', after: first.next, limit: 3 });
      expect(names(second)).toEqual(['list/bob', 'list/carol', 'list/dave']);
      const last = await store.listAccounts({ realm: 'list', after: second.next, limit: 3 });
      expect(names(last)).toEqual(['list/erin']);
      expect(last.next).toBeUndefined();

      const all = await store.listAccounts({ realm: 'list', limit: 7 });
      expect(all.accounts).toHaveLength(7);
      expect(all.next).toBeUndefined();
      for (const summary of all.accounts) {
        expect(Object.keys(summary).sort()).toEqual(
          [
            'createdAt',
            'disabled',
            'id',
            'passwordChangedAt',
            'profile',
            'realm',
            'updatedAt',
            'username',
          ].sort(),
        );
      }
      expect(await store.listAccounts({ realm: 'empty', limit: 10 })).toEqual({ accounts: [] });
      await expect(store.listAccounts({ limit: 0 })).rejects.toThrow(RangeError);
      await expect(store.listAccounts({ limit: 1001 })).rejects.toThrow(RangeError);
    });

    it('pages across realms in (realm, username) order', async () => {
      const seen: string[] = [];
      let after: AccountKey | undefined = { realm: 'lisa', username: 'zzz' };
      do {
        const page: AccountPage = await store.listAccounts({ after, limit: 2 });
        seen.push(...names(page).filter((n) => n.startsWith('list')));
        after = page.next;
      } while (after && after.realm <= 'list-other');
      expect(seen).toEqual([
        'list/al*',
        'list/al.x',
        'list/alice',
        'list/bob',
        'list/carol',
        'list/dave',
        'list/erin',
        'list-other/aaron',
        'list-other/alice',
      ]);
    });

    it('filters by username prefix literally, in one realm or in all', async () => {
      const inRealm = await store.listAccounts({ realm: 'list', usernamePrefix: 'al', limit: 10 });
      expect(names(inRealm)).toEqual(['list/al*', 'list/al.x', 'list/alice']);
      // `.` and `*` are plain characters here, not patterns.
      expect(names(await store.listAccounts({ usernamePrefix: 'al.', limit: 10 }))).toEqual([
        'list/al.x',
      ]);
      expect(names(await store.listAccounts({ usernamePrefix: 'al*', limit: 10 }))).toEqual([
        'list/al*',
      ]);
      expect(names(await store.listAccounts({ usernamePrefix: '.*', limit: 10 }))).toEqual([]);
      const everywhere = await store.listAccounts({ usernamePrefix: 'alic', limit: 1 });
      expect(names(everywhere)).toEqual(['list/alice']);
      const rest = await store.listAccounts({
        usernamePrefix: 'alic',
        after: everywhere.next,
        limit: 1,
      });
      expect(names(rest)).toEqual(['list-other/alice']);
      expect(rest.next).toBeUndefined();
    });
  });

  it('treats an operator object as a value, never as a query', async () => {
    await store.createAccount(account('inject', 'victim'));
    const probe = { $ne: 'nobody' } as unknown as string;
    const found = await store.findByUsername('inject', probe).catch(() => undefined);
    expect(found).toBeUndefined();
    for (const query of [
      { realm: probe, limit: 10 },
      { usernamePrefix: probe, limit: 10 },
      { after: { realm: probe, username: probe }, limit: 10 },
    ]) {
      await expect(store.listAccounts(query)).rejects.toThrow(TypeError);
    }
    const changed = await store
      .updateAccount(probe, { disabled: true, at: Date.now() })
      .catch(() => undefined);
    expect(changed).toBeUndefined();
    expect((await store.findByUsername('inject', 'victim'))?.disabled).toBe(false);
  });

  it('stores only the known profile fields', async () => {
    const odd = account('profile', 'eve', {
      profile: { name: 'Eve', email: 'eve@example.test', $where: 'x', role: 'admin' },
    });
    await store.createAccount(odd);
    expect((await store.findByUsername('profile', 'eve'))?.profile).toEqual({
      name: 'Eve',
      email: 'eve@example.test',
    });
    const raw = await connection.collection('accounts').findOne({ _id: odd.id as never });
    expect(Object.keys(raw!.profile as object).sort()).toEqual(['email', 'name']);
  });
});
