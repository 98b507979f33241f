import type { AdminScope, AdminToken } from '@tessera/core';
import {
  ADMIN_SCOPES,
  ADMIN_TOKEN_ID_PATTERN,
  AdminTokenNotFound,
  cryptoRandom,
  CreateAdminToken,
  formatAdminToken,
  InvalidAdminTokenInput,
  ListAdminTokens,
  newAdminTokenParts,
  RevokeAdminToken,
  systemClock,
} from '@tessera/core';
import { ADMIN_TOKEN_MODEL, AdminTokenSchema, MongoAdminTokenStore } from '@tessera/persistence';
import type { Connection } from 'mongoose';
import { parseArgs } from 'node:util';
import { DataDirInUse, withServiceDatabase } from '../../accounts/cli-database';
import { loadServiceSettings } from '../../config/service-settings';

export const ADMIN_TOKEN_USAGE = [
  'usage: npm run cli -- create-admin-token --name <name> --scope read|full',
  '       npm run cli -- revoke-admin-token <token id>',
  '       npm run cli -- list-admin-tokens',
  '       npm run cli -- new-admin-token   (prints a fresh value for TESSERA_BOOTSTRAP_ADMIN_TOKEN)',
].join('\n');

/** What the commands touch outside themselves, so that tests can run them. */
export interface AdminTokenCommandIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

type Run = (connection: Connection, io: AdminTokenCommandIo) => Promise<number>;

/**
 * The admin token commands. Exit codes: 0 done, 2 bad arguments, 3 no such token or the
 * database is in use by a running service.
 */
export async function adminTokenCommand(
  command: string,
  argv: string[],
  io: AdminTokenCommandIo,
): Promise<number> {
  if (command === 'new-admin-token') {
    // Touches no database: the value is stored by the service that starts with it.
    io.out(formatAdminToken(newAdminTokenParts(cryptoRandom)));
    return 0;
  }
  const run = parseCommand(command, argv);
  if (typeof run === 'string') {
    io.err(`${run}\n${ADMIN_TOKEN_USAGE}`);
    return 2;
  }
  try {
    return await withServiceDatabase(loadServiceSettings(io.env), io.err, (connection) =>
      run(connection, io),
    );
  } catch (error) {
    if (!(error instanceof DataDirInUse || error instanceof AdminTokenNotFound)) throw error;
    io.err(error.message);
    return 3;
  }
}

/** The command to run, or what is wrong with the arguments. */
function parseCommand(command: string, argv: string[]): Run | string {
  try {
    if (command === 'create-admin-token') {
      const { values } = parseArgs({
        args: argv,
        options: { name: { type: 'string' }, scope: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
      const { name, scope } = values;
      if (name === undefined || scope === undefined) return '--name and --scope are required';
      if (!(ADMIN_SCOPES as string[]).includes(scope)) return '--scope must be read or full';
      return (connection, io) => create(connection, io, name, scope as AdminScope);
    }
    const { positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true });
    if (command === 'revoke-admin-token') {
      if (positionals.length !== 1 || !ADMIN_TOKEN_ID_PATTERN.test(positionals[0])) {
        return 'revoke-admin-token takes one token id (22 base64url characters)';
      }
      return (connection, io) => revoke(connection, io, positionals[0]);
    }
    if (command === 'list-admin-tokens') {
      if (positionals.length > 0) return 'list-admin-tokens takes no arguments';
      return list;
    }
    return `unknown command ${command}`;
  } catch (error) {
    return (error as Error).message;
  }
}

async function storeOn(connection: Connection): Promise<MongoAdminTokenStore> {
  const store = new MongoAdminTokenStore(connection.model(ADMIN_TOKEN_MODEL, AdminTokenSchema));
  await store.onModuleInit();
  return store;
}

async function create(
  connection: Connection,
  io: AdminTokenCommandIo,
  name: string,
  scope: AdminScope,
): Promise<number> {
  const use = new CreateAdminToken(await storeOn(connection), systemClock, cryptoRandom);
  try {
    const { token, value } = await use.execute({ name, scope });
    io.out(`created admin token ${token.id} "${token.name}" (scope ${scope})`);
    io.out('the token is shown this once; only its hash is stored:');
    io.out(value);
    return 0;
  } catch (error) {
    if (!(error instanceof InvalidAdminTokenInput)) throw error;
    io.err(error.message);
    return 2;
  }
}

async function revoke(connection: Connection, io: AdminTokenCommandIo, id: string) {
  const token = await new RevokeAdminToken(await storeOn(connection), systemClock).execute(id);
  io.out(`revoked admin token ${token.id} "${token.name}" at ${describeTime(token.revokedAt)}`);
  return 0;
}

async function list(connection: Connection, io: AdminTokenCommandIo): Promise<number> {
  const use = new ListAdminTokens(await storeOn(connection));
  let after: { createdAt: number; id: string } | undefined;
  do {
    const page = await use.execute({ after, limit: 200 });
    page.tokens.forEach((token) => io.out(describeToken(token)));
    after = page.next;
  } while (after);
  return 0;
}

function describeToken(token: AdminToken): string {
  const state =
    token.revokedAt === undefined ? 'active' : `revoked ${describeTime(token.revokedAt)}`;
  return [
    token.id,
    token.scopes.join(','),
    state,
    `created ${describeTime(token.createdAt)}`,
    `last used ${describeTime(token.lastUsedAt)}`,
    JSON.stringify(token.name),
  ].join('  ');
}

function describeTime(ms: number | undefined): string {
  return ms === undefined ? 'never' : new Date(ms).toISOString();
}
