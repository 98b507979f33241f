import { getConnectionToken } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import type { LocalAccount } from '@tessera/core';
import { AccountAlreadyExists, AccountStore } from '@tessera/core';
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
    expect(await store.setPasswordHash(ada.id, 'new-hash')).toBe(true);
    expect(await store.setDisabled(ada.id, true)).toBe(true);
    expect(await store.findByUsername('change', 'ada')).toEqual({
      ...ada,
      passwordHash: 'new-hash',
      disabled: true,
    });
    expect(await store.findByUsername('change', 'bob')).toEqual(bob);
    expect(await store.setDisabled(ada.id, false)).toBe(true);
    expect((await store.findByUsername('change', 'ada'))?.disabled).toBe(false);
    expect(await store.setPasswordHash('missing', 'h')).toBe(false);
    expect(await store.setDisabled('missing', true)).toBe(false);
  });

  it('lists a realm page by page in username order, never showing password hashes', async () => {
    for (const name of ['erin', 'carol', 'alice', 'dave', 'bob']) {
      await store.createAccount(account('list', name));
    }
    await store.createAccount(account('list-other', 'aaron'));

    const first = await store.listAccounts('list', { limit: 2 });
    expect(first.accounts.map((a) => a.username)).toEqual(['alice', 'bob']);
    expect(first.next).toBe('bob');
    const second = await store.listAccounts('list', { after: first.next, limit: 2 });
    expect(second.accounts.map((a) => a.username)).toEqual(['carol', 'dave']);
    const last = await store.listAccounts('list', { after: second.next, limit: 2 });
    expect(last.accounts.map((a) => a.username)).toEqual(['erin']);
    expect(last.next).toBeUndefined();

    const all = await store.listAccounts('list', { limit: 5 });
    expect(all.accounts).toHaveLength(5);
    expect(all.next).toBeUndefined();
    for (const summary of all.accounts) {
      expect(summary).not.toHaveProperty('passwordHash');
      expect(Object.keys(summary).sort()).toEqual(
        ['createdAt', 'disabled', 'id', 'profile', 'realm', 'username'].sort(),
      );
    }
    expect(await store.listAccounts('empty', { limit: 10 })).toEqual({ accounts: [] });
    await expect(store.listAccounts('list', { limit: 0 })).rejects.toThrow(RangeError);
    await expect(store.listAccounts('list', { limit: 1001 })).rejects.toThrow(RangeError);
  });

  it('treats an operator object as a value, never as a query', async () => {
    await store.createAccount(account('inject', 'victim'));
    const probe = { $ne: 'nobody' } as unknown as string;
    const found = await store.findByUsername('inject', probe).catch(() => undefined);
    expect(found).toBeUndefined();
    const page = await store.listAccounts(probe, { limit: 10 }).catch(() => ({ accounts: [] }));
    expect(page.accounts).toEqual([]);
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
