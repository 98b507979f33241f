import { ManualClock } from '../clock';
import { SecretHasher } from '../ports/secret-hasher';
import type { RandomSource } from '../random';
import { AccountAlreadyExists, InvalidAccountInput } from './account-errors';
import { AccountStore } from './account-store';
import type { CreateLocalAccountCommand } from './create-local-account';
import { CreateLocalAccount } from './create-local-account';
import type { AccountPage, AccountSummary, LocalAccount } from './local-account';

/** Enough of a store to see what the use case writes; the real one is tested against a database. */
class MemoryAccounts extends AccountStore {
  readonly byName = new Map<string, LocalAccount>();

  findByUsername(realm: string, username: string) {
    return Promise.resolve(this.byName.get(`${realm}:${username}`));
  }
  createAccount(account: LocalAccount) {
    const key = `${account.realm}:${account.username}`;
    if (this.byName.has(key)) {
      return Promise.reject(new AccountAlreadyExists(account.realm, account.username));
    }
    this.byName.set(key, account);
    return Promise.resolve();
  }
  updateAccount(): Promise<AccountSummary | undefined> {
    throw new Error('not used');
  }
  listAccounts(): Promise<AccountPage> {
    throw new Error('not used');
  }
}

class FakeHasher extends SecretHasher {
  hashed = 0;
  hash(secret: string) {
    this.hashed++;
    return Promise.resolve(`fake:${secret}`);
  }
  verify(): Promise<boolean> {
    throw new Error('not used');
  }
}

const zeros: RandomSource = { bytes: (size) => Buffer.alloc(size, 7) };
const HASH =
  '$argon2id$v=19$m=65536,p=4,t=3$sIjFfNJf1361u61f3kLJXg$vIrMlU5MkpRA2715R+Tg4HqzCRuNfWsKe+GYvBNEO9c';

function setup() {
  const accounts = new MemoryAccounts();
  const hasher = new FakeHasher();
  const create = new CreateLocalAccount(accounts, hasher, new ManualClock(1_000), zeros);
  return { accounts, hasher, create };
}

const ada: CreateLocalAccountCommand = {
  realm: 'example',
  username: ' Ada ',
  password: 'correct-horse-battery',
  name: 'Ada Lovelace',
  email: 'ada@example.test',
};

describe('CreateLocalAccount', () => {
  it('stores a normalised, hashed, enabled account and answers it without the hash', async () => {
    const { accounts, create } = setup();
    const summary = await create.execute(ada);
    expect(summary).toEqual({
      id: Buffer.alloc(16, 7).toString('base64url'),
      realm: 'example',
      username: 'ada',
      profile: { name: 'Ada Lovelace', email: 'ada@example.test' },
      disabled: false,
      createdAt: 1_000,
      updatedAt: 1_000,
      passwordChangedAt: 1_000,
    });
    expect(summary).not.toHaveProperty('passwordHash');
    expect(accounts.byName.get('example:ada')?.passwordHash).toBe('fake:correct-horse-battery');
  });

  it('takes a ready-made argon2id hash as it is', async () => {
    const { accounts, hasher, create } = setup();
    await create.execute({ realm: 'example', username: 'bob', passwordHash: HASH });
    expect(accounts.byName.get('example:bob')?.passwordHash).toBe(HASH);
    expect(hasher.hashed).toBe(0);
  });

  it('leaves out empty profile fields', async () => {
    const { create } = setup();
    const summary = await create.execute({ ...ada, name: '  ', email: undefined });
    expect(summary.profile).toEqual({});
  });

  it.each<[string, Partial<CreateLocalAccountCommand>, string]>([
    ['a short password', { password: 'eleven char' }, 'password'],
    ['an overlong password', { password: 'x'.repeat(1025) }, 'password'],
    ['both a password and a hash', { passwordHash: HASH }, 'password'],
    ['neither a password nor a hash', { password: undefined }, 'password'],
    [
      'a hash that is not argon2id',
      { password: undefined, passwordHash: '$2b$10$abc' },
      'passwordHash',
    ],
    ['a realm name with a colon', { realm: 'ex:ample' }, 'realm'],
    ['an invalid username', { username: 'a\u0000b' }, 'username'],
    ['an email without @', { email: 'ada.example.test' }, 'email'],
    ['a name with a newline', { name: 'Ada\nLovelace' }, 'name'],
    ['a name that is not a string', { name: { $ne: null } }, 'name'],
  ])('refuses %s before hashing or storing anything', async (_label, change, field) => {
    const { accounts, hasher, create } = setup();
    const error = await create.execute({ ...ada, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAccountInput);
    expect((error as InvalidAccountInput).field).toBe(field);
    expect(hasher.hashed).toBe(0);
    expect(accounts.byName.size).toBe(0);
  });

  it('counts password length in characters', async () => {
    const { create } = setup();
    await expect(create.execute({ ...ada, password: '🔑'.repeat(12) })).resolves.toBeDefined();
  });

  it('never overwrites: a second account of the same normalised name is refused', async () => {
    const { accounts, create } = setup();
    await create.execute(ada);
    const first = accounts.byName.get('example:ada');
    await expect(
      create.execute({ ...ada, username: 'ADA', password: 'another-password' }),
    ).rejects.toBeInstanceOf(AccountAlreadyExists);
    expect(accounts.byName.get('example:ada')).toBe(first);
  });
});
