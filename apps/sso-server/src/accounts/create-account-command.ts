import type { CreateLocalAccountCommand } from '@tessera/core';
import {
  AccountAlreadyExists,
  CreateLocalAccount,
  cryptoRandom,
  InvalidAccountInput,
  parseNewAccount,
  systemClock,
} from '@tessera/core';
import { accountStoreOn } from '@tessera/persistence';
import { parseArgs } from 'node:util';
import { loadRealmsConfig } from '../config/load-realms-config';
import { loadServiceSettings } from '../config/service-settings';
import { Argon2SecretHasher } from '../security/argon2-secret-hasher';
import { DataDirInUse, withServiceDatabase } from './cli-database';

export const CREATE_ACCOUNT_USAGE =
  'usage: npm run cli -- create-account --realm <realm> --username <name> [--name "<full name>"] [--email <address>]\n' +
  '       the password is read from standard input (typed twice, hidden, on a terminal)';

/** What the command touches outside itself, so that tests can run it. */
export interface CommandIo {
  readonly env: NodeJS.ProcessEnv;
  readonly readPassword: () => Promise<string>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Exit codes: 0 created, 2 bad arguments or input, 3 the account exists or the database is in use. */
export async function createAccountCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === 'string') {
    io.err(`${options}\n${CREATE_ACCOUNT_USAGE}`);
    return 2;
  }
  // The same settings and realms file as the service, so the account lands where it signs in.
  const settings = loadServiceSettings(io.env);
  const realms = loadRealmsConfig(settings.realmsFile, {
    production: settings.production,
    env: io.env,
  }).realms.map((realm) => realm.name);
  if (!realms.includes(options.realm)) {
    io.err(
      `realm "${options.realm}" is not in ${settings.realmsFile ?? 'the demo realms file'}; known realms: ${realms.join(', ')}`,
    );
    return 2;
  }
  const command: CreateLocalAccountCommand = { ...options, password: await io.readPassword() };
  try {
    parseNewAccount(command); // fail fast, before starting a database
  } catch (error) {
    if (!(error instanceof InvalidAccountInput)) throw error;
    io.err(error.message);
    return 2;
  }
  try {
    return await withServiceDatabase(settings, io.err, async (connection) => {
      const store = await accountStoreOn(connection, settings.mongodb.writeClaims);
      const create = new CreateLocalAccount(
        store,
        new Argon2SecretHasher(),
        systemClock,
        cryptoRandom,
      );
      const account = await create.execute(command);
      io.out(
        `created account "${account.username}" in realm "${account.realm}" (subject local:${account.id})`,
      );
      return 0;
    });
  } catch (error) {
    if (!(error instanceof AccountAlreadyExists || error instanceof DataDirInUse)) throw error;
    io.err(
      error instanceof AccountAlreadyExists ? `${error.message}; nothing changed` : error.message,
    );
    return 3;
  }
}

interface CreateAccountOptions {
  readonly realm: string;
  readonly username: string;
  readonly name?: string;
  readonly email?: string;
}

/** The options, or what is wrong with them. */
function parseOptions(argv: string[]): CreateAccountOptions | string {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        realm: { type: 'string' },
        username: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const { realm, username, name, email } = values;
    if (realm === undefined || username === undefined) return '--realm and --username are required';
    return {
      realm,
      username,
      ...(name === undefined ? {} : { name }),
      ...(email === undefined ? {} : { email }),
    };
  } catch (error) {
    return (error as Error).message;
  }
}
