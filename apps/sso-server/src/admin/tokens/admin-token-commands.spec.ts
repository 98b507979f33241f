import { parseAdminToken } from '@tessera/core';
import { MongoClient } from 'mongodb';
import type { TestDatabase } from '../../../../../e2e/support/test-database';
import { dropTestDatabase, testDatabase } from '../../../../../e2e/support/test-database';
import { adminTokenCommand } from './admin-token-commands';

function io(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { env, out: (l: string) => out.push(l), err: (l: string) => err.push(l) },
    out,
    err,
  };
}

describe('npm run cli -- create-admin-token | revoke-admin-token | list-admin-tokens', () => {
  let database: TestDatabase;
  let client: MongoClient;

  beforeAll(() => {
    database = testDatabase('cli_admin_tokens');
    client = new MongoClient(database.uri);
  });

  afterAll(async () => {
    await client.close();
    await dropTestDatabase(database);
  });

  const env = () => ({ MONGODB_URI: database.uri, TESSERA_DB_NAME: database.dbName });
  const stored = () =>
    client.db(database.dbName).collection<{ _id: string }>('admin_tokens').find().toArray();

  it('creates a token, prints its value once, and stores only the hash', async () => {
    const run = io(env());
    expect(
      await adminTokenCommand('create-admin-token', ['--name', 'ops', '--scope', 'full'], run.io),
    ).toBe(0);
    const value = run.out.at(-1)!;
    const parts = parseAdminToken(value)!;
    expect(parts).toBeDefined();
    expect(run.out[0]).toBe(`created admin token ${parts.id} "ops" (scope full)`);
    const docs = await stored();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ _id: parts.id, name: 'ops', scopes: ['full'] });
    expect(JSON.stringify(docs)).not.toContain(parts.validator);
  });

  it('lists tokens and revokes one by id', async () => {
    const created = io(env());
    await adminTokenCommand(
      'create-admin-token',
      ['--name', 'reader', '--scope', 'read'],
      created.io,
    );
    const id = parseAdminToken(created.out.at(-1)!)!.id;

    const revoked = io(env());
    expect(await adminTokenCommand('revoke-admin-token', [id], revoked.io)).toBe(0);
    expect(revoked.out[0]).toMatch(new RegExp(`^revoked admin token ${id} "reader" at \\d{4}-`));

    const listed = io(env());
    expect(await adminTokenCommand('list-admin-tokens', [], listed.io)).toBe(0);
    expect(listed.out).toHaveLength(2);
    expect(listed.out[0]).toMatch(new RegExp(`^${id}  read  revoked \\d{4}-.*"reader"$`));
    expect(listed.out[1]).toMatch(/ {2}full {2}active {2}created .* {2}last used never {2}"ops"$/);
  });

  it('answers 3 for an unknown token id, and changes nothing', async () => {
    const before = await stored();
    const run = io(env());
    expect(await adminTokenCommand('revoke-admin-token', ['a'.repeat(22)], run.io)).toBe(3);
    expect(run.err[0]).toMatch(/no admin token has the id/);
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['create-admin-token', ['--name', 'x']],
    ['create-admin-token', ['--name', 'x', '--scope', 'admin']],
    ['create-admin-token', ['--name', 'x', '--scope', 'read', '--extra']],
    ['create-admin-token', ['--name', '', '--scope', 'read']],
    ['revoke-admin-token', []],
    ['revoke-admin-token', ['not-an-id']],
    ['list-admin-tokens', ['extra']],
  ])('refuses %s %j with exit code 2 and the usage, storing nothing', async (command, args) => {
    const before = await stored();
    const run = io(env());
    expect(await adminTokenCommand(command, args, run.io)).toBe(2);
    expect(run.err.join('\n')).toMatch(/usage: npm run cli -- create-admin-token|name must be/);
    expect(await stored()).toEqual(before);
  });

  it('prints a fresh bootstrap value without touching a database', async () => {
    const run = io({});
    expect(await adminTokenCommand('new-admin-token', [], run.io)).toBe(0);
    expect(parseAdminToken(run.out[0])).toBeDefined();
  });
});
