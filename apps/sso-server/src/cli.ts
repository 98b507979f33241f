import { randomBytes } from 'node:crypto';
import { Argon2SecretHasher } from './security/argon2-secret-hasher';

/**
 * Administrative commands run with `npm run cli -- <command>`:
 *   new-secret    prints a fresh client secret and its argon2id hash for the realms file
 *   hash-secret   reads a secret from standard input and prints its argon2id hash
 */
const USAGE =
  'usage: npm run cli -- new-secret | hash-secret  (hash-secret reads the secret from stdin)';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function run(command: string | undefined): Promise<number> {
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
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

run(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
