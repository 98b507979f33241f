import { MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { AccountStore, CreateLocalAccount, cryptoRandom, ManualClock } from '@tessera/core';
import { PersistenceModule } from '@tessera/persistence';
import * as argon2 from 'argon2';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfigPath, loadRealmsConfig } from '../config/load-realms-config';
import { RealmsConfig } from '../config/realms-config';
import { ConfigurationError } from '../config/validation-messages';
import { Argon2SecretHasher } from '../security/argon2-secret-hasher';
import { AccountBootstrap, AccountBootstrapOptions } from './account-bootstrap';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

/** argon2id with the cheapest parameters: the bootstrap's logic is under test, not the hash. */
class CheapArgon2Hasher extends Argon2SecretHasher {
  override hash(secret: string): Promise<string> {
    return argon2.hash(secret, {
      type: argon2.argon2id,
      memoryCost: 1024,
      timeCost: 1,
      parallelism: 1,
    });
  }
}

const HASH =
  '$argon2id$v=19$m=1024,p=1,t=1$6S8yZ0SAF9fD2yRnxiHVMA$RfckaU0CsZNiSRdlNhHvGxF9tSZC80aeoItTAVUnaik';

describe('AccountBootstrap (real database)', () => {
  let persistence: PersistenceUnderTest;
  let moduleRef: TestingModule;
  let accounts: AccountStore;
  let dir: string;
  const hasher = new CheapArgon2Hasher();
  const realms = loadRealmsConfig(); // the demo realm "example"

  beforeAll(async () => {
    persistence = await startPersistence('bootstrap');
    moduleRef = persistence.moduleRef;
    accounts = moduleRef.get(AccountStore);
    dir = await mkdtemp(join(tmpdir(), 'tessera-bootstrap-'));
  });

  afterAll(async () => {
    await persistence.close();
    await rm(dir, { recursive: true, force: true });
  });

  function bootstrap(file: string | undefined, production = false) {
    const create = new CreateLocalAccount(accounts, hasher, new ManualClock(), cryptoRandom);
    return new AccountBootstrap(
      new AccountBootstrapOptions(file, production),
      realms,
      accounts,
      create,
    );
  }

  async function fileWith(name: string, entries: unknown): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(entries));
    return path;
  }

  it('creates the demo account from config/demo-accounts.json', async () => {
    const demo = join(demoConfigPath(), '..', 'demo-accounts.json');
    await expect(bootstrap(demo).run()).resolves.toEqual({
      created: ['"ada" in realm "example"'],
      existing: [],
    });
    const ada = await accounts.findByUsername('example', 'ada');
    expect(ada).toMatchObject({
      profile: { name: 'Ada Lovelace', email: 'ada@example.test' },
      disabled: false,
    });
    expect(await hasher.verify(ada!.passwordHash, 'correct-horse-battery')).toBe(true);
  });

  it('creates only missing accounts and never changes an existing one', async () => {
    const file = await fileWith('keep.json', [
      { realm: 'example', username: 'Grace', password: 'first-password-1', name: 'Grace Hopper' },
      { realm: 'example', username: 'linus', passwordHash: HASH },
    ]);
    expect((await bootstrap(file).run()).created).toHaveLength(2);
    const grace = (await accounts.findByUsername('example', 'grace'))!;
    const changedAt = grace.createdAt + 1000;
    await accounts.updateAccount(grace.id, { passwordHash: HASH, disabled: true, at: changedAt });

    const changed = await fileWith('keep.json', [
      { realm: 'example', username: 'grace', password: 'second-password-2', name: 'G. Hopper' },
      { realm: 'example', username: 'linus', passwordHash: HASH },
      { realm: 'example', username: 'margaret', password: 'third-password-3' },
    ]);
    await expect(bootstrap(changed).run()).resolves.toEqual({
      created: ['"margaret" in realm "example"'],
      existing: ['"grace" in realm "example"', '"linus" in realm "example"'],
    });
    expect(await accounts.findByUsername('example', 'grace')).toEqual({
      ...grace,
      passwordHash: HASH,
      disabled: true,
      updatedAt: changedAt,
      passwordChangedAt: changedAt,
    });
    expect((await accounts.findByUsername('example', 'linus'))?.passwordHash).toBe(HASH);
  });

  it('runs at application bootstrap when registered as a Nest provider', async () => {
    const file = await fileWith('nest.json', [
      { realm: 'example', username: 'booted', password: 'a-good-password' },
    ]);
    const app = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(persistence.database.uri, { dbName: persistence.database.dbName }),
        PersistenceModule.forRoot(),
      ],
      providers: [
        AccountBootstrap,
        { provide: AccountBootstrapOptions, useValue: new AccountBootstrapOptions(file, false) },
        { provide: RealmsConfig, useValue: realms },
        {
          provide: CreateLocalAccount,
          inject: [AccountStore],
          useFactory: (store: AccountStore) =>
            new CreateLocalAccount(store, hasher, new ManualClock(), cryptoRandom),
        },
      ],
    }).compile();
    try {
      expect(await accounts.findByUsername('example', 'booted')).toBeUndefined();
      await app.init();
      expect(await accounts.findByUsername('example', 'booted')).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('does nothing without a file', async () => {
    await expect(bootstrap(undefined).run()).resolves.toEqual({ created: [], existing: [] });
  });

  it('reports every problem of a file at once and creates nothing from it', async () => {
    const file = await fileWith('bad.json', [
      { realm: 'example', username: 'fine-user', password: 'a-good-password' },
      { realm: 'nowhere', username: 'x', password: 'a-good-password' },
      { realm: 'example', username: 'short', password: 'short' },
      { realm: 'example', username: 'typo', pasword: 'a-good-password' },
      { realm: 'example', username: 'FINE-USER', passwordHash: HASH },
      { realm: 'example', username: 'badhash', passwordHash: 'plain-text' },
      'not an object',
    ]);
    const error = (await bootstrap(file)
      .run()
      .catch((e: unknown) => e)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.problems).toEqual([
      '[1].realm: "nowhere" is not a realm of the realms file',
      '[2].password: must be at least 12 characters',
      '[3].password: give exactly one of password and passwordHash',
      '[3].pasword: unknown field',
      '[4].username: "fine-user" is listed twice in example',
      '[5].passwordHash: must be an argon2id hash such as npm run cli -- hash-password prints',
      '[6]: must be an object',
    ]);
    expect(await accounts.findByUsername('example', 'fine-user')).toBeUndefined();
  });

  it('refuses plain passwords in production, and so the demo file', async () => {
    const demo = join(demoConfigPath(), '..', 'demo-accounts.json');
    const error = (await bootstrap(demo, true)
      .run()
      .catch((e: unknown) => e)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.problems).toEqual([
      '[0].password: plain passwords are refused in production; give passwordHash (npm run cli -- hash-password)',
    ]);
    const hashed = await fileWith('prod.json', [
      { realm: 'example', username: 'prod-admin', passwordHash: HASH },
    ]);
    await expect(bootstrap(hashed, true).run()).resolves.toMatchObject({
      created: ['"prod-admin" in realm "example"'],
    });
  });

  it('refuses a file that is not a JSON array', async () => {
    const notArray = await fileWith('object.json', { realm: 'example' });
    await expect(bootstrap(notArray).run()).rejects.toThrow(/must be an array/);
    await writeFile(join(dir, 'broken.json'), '[{');
    await expect(bootstrap(join(dir, 'broken.json')).run()).rejects.toThrow(
      /cannot read it as JSON/,
    );
    await expect(bootstrap(join(dir, 'missing.json')).run()).rejects.toThrow(ConfigurationError);
  });
});
