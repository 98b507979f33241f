import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import * as argon2 from 'argon2';
import type { TestDatabase } from '../../../../e2e/support/test-database';
import { dropTestDatabase, testDatabase } from '../../../../e2e/support/test-database';
import type { CommandIo } from './create-account-command';
import { createAccountCommand } from './create-account-command';

const PASSWORD = 'correct-horse-battery';

function io(env: NodeJS.ProcessEnv, password = PASSWORD) {
  const out: string[] = [];
  const err: string[] = [];
  const commandIo: CommandIo = {
    env,
    readPassword: () => Promise.resolve(password),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  return { commandIo, out, err };
}

async function findAccount(uri: string, dbName: string, username: string) {
  const client = new MongoClient(uri);
  try {
    return await client.db(dbName).collection('accounts').findOne({ realm: 'example', username });
  } finally {
    await client.close();
  }
}

const ada = [
  '--realm',
  'example',
  '--username',
  'Ada',
  '--name',
  'Ada Lovelace',
  '--email',
  'ada@example.test',
];

describe('npm run cli -- create-account', () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = testDatabase('cli_accounts');
    dir = await mkdtemp(join(tmpdir(), 'tessera-cli-'));
  });

  afterAll(async () => {
    await dropTestDatabase(database);
    await rm(dir, { recursive: true, force: true });
  });

  const external = () => ({ MONGODB_URI: database.uri, TESSERA_DB_NAME: database.dbName });

  it('creates the account in the database of MONGODB_URI, hashed with argon2id', async () => {
    const run = io(external());
    expect(await createAccountCommand(ada, run.commandIo)).toBe(0);
    expect(run.out[0]).toMatch(
      /^created account "ada" in realm "example" \(subject local:[\w-]{22}\)$/,
    );
    const stored = await findAccount(database.uri, database.dbName, 'ada');
    expect(stored).toMatchObject({
      profile: { name: 'Ada Lovelace', email: 'ada@example.test' },
      disabled: false,
    });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(stored!.passwordHash as string, PASSWORD)).toBe(true);
  }, 30_000);

  it('refuses an existing name, whatever its case, and changes nothing', async () => {
    const before = await findAccount(database.uri, database.dbName, 'ada');
    const run = io(external(), 'another-password-entirely');
    const args = ['--realm', 'example', '--username', ' ADA '];
    expect(await createAccountCommand(args, run.commandIo)).toBe(3);
    expect(run.err).toEqual([
      'an account named "ada" already exists in realm "example"; nothing changed',
    ]);
    expect(await findAccount(database.uri, database.dbName, 'ada')).toEqual(before);
  }, 30_000);

  it.each([
    ['no username', ['--realm', 'example'], PASSWORD, /--realm and --username are required/],
    ['an unknown option', [...ada, '--admin'], PASSWORD, /Unknown option '--admin'/],
    [
      'an unknown realm',
      ['--realm', 'elsewhere', '--username', 'x'],
      PASSWORD,
      /realm "elsewhere" is not in .*known realms: example/,
    ],
    ['a short password', ada, 'too-short', /password: must be at least 12 characters/],
    [
      'a bad email',
      ['--realm', 'example', '--username', 'x', '--email', 'no-at-sign'],
      PASSWORD,
      /email: is not an email address/,
    ],
  ])('refuses %s before starting any database', async (_label, args, password, message) => {
    const dataDir = join(dir, 'never-created');
    const run = io({ TESSERA_DATA_DIR: dataDir }, password);
    expect(await createAccountCommand(args, run.commandIo)).toBe(2);
    expect(run.err.join('\n')).toMatch(message);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses, naming the process and its address, while a server runs on the embedded data dir', async () => {
    const dataDir = join(dir, 'in-use');
    // Stands in for the service's FerretDB: only its arguments matter.
    const fake = spawn(
      process.execPath,
      [
        '-e',
        'setInterval(() => {}, 1000)',
        '--',
        `--state-dir=${join(dataDir, 'ferretdb')}`,
        '--listen-addr=127.0.0.1:27999',
      ],
      { stdio: 'ignore' },
    );
    try {
      await new Promise((resolve) => fake.once('spawn', resolve));
      const run = io({ TESSERA_DATA_DIR: dataDir });
      expect(await createAccountCommand(ada, run.commandIo)).toBe(3);
      expect(run.err.join('\n')).toContain(`is in use by process ${fake.pid}`);
      expect(run.err.join('\n')).toContain('MONGODB_URI=mongodb://127.0.0.1:27999/ npm run cli');
      expect(existsSync(join(dataDir, 'ferretdb'))).toBe(false);
    } finally {
      fake.kill();
    }
  });

  it('starts the embedded database on TESSERA_DATA_DIR when MONGODB_URI is unset, and stops it', async () => {
    const dataDir = join(dir, 'embedded');
    const run = io({ TESSERA_DATA_DIR: dataDir });
    expect(await createAccountCommand(ada, run.commandIo)).toBe(0);
    expect(run.out[0]).toMatch(/^created account "ada"/);
    // Stopped again: a second run may start its own server on the same files, and sees the account.
    const again = io({ TESSERA_DATA_DIR: dataDir });
    expect(await createAccountCommand(ada, again.commandIo)).toBe(3);
    expect(again.err[0]).toContain('already exists');
  }, 60_000);
});
