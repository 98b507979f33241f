import { checkNewPassword, InvalidAccountInput } from '@tessera/core';
import { randomBytes } from 'node:crypto';
import { createAccountCommand, CREATE_ACCOUNT_USAGE } from './accounts/create-account-command';
import { ADMIN_TOKEN_USAGE, adminTokenCommand } from './admin/tokens/admin-token-commands';
import { readNewPassword, readStdin } from './accounts/read-password';
import { ConfigurationError } from './config/validation-messages';
import { Argon2SecretHasher } from './security/argon2-secret-hasher';

/**
 * Administrative commands run with `npm run cli -- <command>`:
 *   new-secret      prints a fresh client secret and its argon2id hash for the realms file
 *   hash-secret     reads a secret from standard input and prints its argon2id hash
 *   hash-password   reads a password from standard input and prints its argon2id hash
 *                   (for `passwordHash` in a TESSERA_BOOTSTRAP_ACCOUNTS file)
 *   create-account  creates a local account in the service's database (docs/accounts.md)
 *   create-admin-token, revoke-admin-token, list-admin-tokens, new-admin-token
 *                   admin API tokens (docs/admin/access-and-audit.md)
 */
const USAGE = [
  'usage: npm run cli -- new-secret | hash-secret | hash-password | create-account …',
  '  hash-secret and hash-password read from standard input',
  CREATE_ACCOUNT_USAGE,
  ADMIN_TOKEN_USAGE,
].join('\n');

const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);

async function run(command: string | undefined, args: string[]): Promise<number> {
  const hasher = new Argon2SecretHasher();
  switch (command) {
    case 'new-secret': {
      const secret = randomBytes(32).toString('base64url');
      process.stdout.write(`secret:     ${secret}\nsecretHash: ${await hasher.hash(secret)}\n`);
      return 0;
    }
    case 'hash-secret': {
      const secret = await readStdin();
      if (secret.length < 16) {
        process.stderr.write('refusing a secret shorter than 16 characters\n');
        return 2;
      }
      process.stdout.write(`${await hasher.hash(secret)}\n`);
      return 0;
    }
    case 'hash-password': {
      try {
        // The same rules as create-account, so a hash from here makes a usable account.
        const password = checkNewPassword(await readNewPassword());
        process.stdout.write(`${await hasher.hash(password)}\n`);
        return 0;
      } catch (error) {
        if (!(error instanceof InvalidAccountInput)) throw error;
        process.stderr.write(`${error.message}\n`);
        return 2;
      }
    }
    case 'create-account':
      return createAccountCommand(args, {
        env: process.env,
        readPassword: readNewPassword,
        out: write(process.stdout),
        err: write(process.stderr),
      });
    case 'create-admin-token':
    case 'revoke-admin-token':
    case 'list-admin-tokens':
    case 'new-admin-token':
      return adminTokenCommand(command, args, {
        env: process.env,
        out: write(process.stdout),
        err: write(process.stderr),
      });
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

run(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigurationError ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
