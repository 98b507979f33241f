import type { CreateLocalAccountCommand } from '@tessera/core';
import { InvalidAccountInput, parseNewAccount } from '@tessera/core';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../config/validation-messages';

export interface BootstrapFileContext {
  /** Realms of the realms file; an account elsewhere could never sign in. */
  readonly realms: ReadonlySet<string>;
  /** Production takes only `passwordHash`: a plain password has no business in a file there. */
  readonly production: boolean;
}

const FIELDS = new Set(['realm', 'username', 'password', 'passwordHash', 'name', 'email']);
const MAX_ENTRIES = 10_000;

/**
 * Reads and checks the TESSERA_BOOTSTRAP_ACCOUNTS file (docs/accounts.md). Every entry is
 * checked before any account is created, and all problems are reported at once.
 */
export function loadBootstrapAccounts(
  path: string,
  context: BootstrapFileContext,
): CreateLocalAccountCommand[] {
  let plain: unknown;
  try {
    plain = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(path, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  if (!Array.isArray(plain) || plain.length > MAX_ENTRIES) {
    throw new ConfigurationError(path, [
      `the top level must be an array of at most ${MAX_ENTRIES} accounts`,
    ]);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  plain.forEach((entry: unknown, i) => {
    const where = `[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    const own = problemsOf(entry as CreateLocalAccountCommand, context).map((p) => `${where}.${p}`);
    problems.push(...own);
    for (const field of Object.keys(entry).filter((f) => !FIELDS.has(f))) {
      problems.push(`${where}.${field}: unknown field`);
    }
    if (own.length > 0) return;
    const { realm, username } = parseNewAccount(entry as CreateLocalAccountCommand);
    const key = `${realm}:${username}`;
    if (seen.has(key))
      problems.push(`${where}.username: "${username}" is listed twice in ${realm}`);
    seen.add(key);
  });
  if (problems.length > 0) throw new ConfigurationError(path, problems);
  return plain as CreateLocalAccountCommand[];
}

function problemsOf(entry: CreateLocalAccountCommand, context: BootstrapFileContext): string[] {
  const problems: string[] = [];
  try {
    parseNewAccount(entry);
  } catch (error) {
    if (!(error instanceof InvalidAccountInput)) throw error;
    problems.push(error.message);
  }
  if (typeof entry.realm === 'string' && !context.realms.has(entry.realm)) {
    problems.push(`realm: "${entry.realm}" is not a realm of the realms file`);
  }
  if (context.production && entry.password !== undefined) {
    problems.push(
      'password: plain passwords are refused in production; give passwordHash (npm run cli -- hash-password)',
    );
  }
  return problems;
}
