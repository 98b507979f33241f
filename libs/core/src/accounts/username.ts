import { InvalidAccountInput } from './account-errors';

export const MAX_USERNAME_LENGTH = 64;

/** Control, format (zero-width), surrogate, private-use, unassigned, line and paragraph separators. */
const FORBIDDEN = /[\p{C}\p{Zl}\p{Zp}]/u;

/**
 * The one spelling of a username: NFKC (full-width and compatibility forms fold to their plain
 * letters), lower-cased, trimmed. Normalising twice keeps the result stable under lower-casing.
 */
export function normalizeUsername(raw: string): string {
  return foldUsername(raw).trim();
}

/** NFKC and lower case, without trimming: a prefix's trailing space is part of what it asks for. */
function foldUsername(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** Why a normalised username is not acceptable, or undefined when it is. */
export function usernameProblem(username: string): string | undefined {
  const length = [...username].length;
  if (length === 0) return 'must not be empty';
  if (length > MAX_USERNAME_LENGTH) return `must be at most ${MAX_USERNAME_LENGTH} characters`;
  if (FORBIDDEN.test(username)) return 'must not contain control or invisible characters';
  return undefined;
}

/** Normalises and validates a username given by an administrator; throws InvalidAccountInput. */
export function parseUsername(raw: unknown): string {
  if (typeof raw !== 'string') throw new InvalidAccountInput('username', 'must be a string');
  // Bounded before normalising, so a huge input costs nothing.
  if (raw.length > MAX_USERNAME_LENGTH * 4) {
    throw new InvalidAccountInput('username', `must be at most ${MAX_USERNAME_LENGTH} characters`);
  }
  const username = normalizeUsername(raw);
  const problem = usernameProblem(username);
  if (problem) throw new InvalidAccountInput('username', problem);
  return username;
}

/** The normalised username typed at sign-in, or undefined when no account could have it. */
export function signInUsername(raw: string): string | undefined {
  if (raw.length > MAX_USERNAME_LENGTH * 4) return undefined;
  const username = normalizeUsername(raw);
  return usernameProblem(username) === undefined ? username : undefined;
}

/**
 * A username prefix given by an administrator (listing filter), folded like usernames so that
 * `ADA` finds `ada`; undefined when empty. Throws InvalidAccountInput for what no username holds.
 */
export function parseUsernamePrefix(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new InvalidAccountInput('username', 'must be a string');
  if (raw.length > MAX_USERNAME_LENGTH * 4) {
    throw new InvalidAccountInput('username', `must be at most ${MAX_USERNAME_LENGTH} characters`);
  }
  const prefix = foldUsername(raw).trimStart();
  if (prefix === '') return undefined;
  const problem = usernameProblem(prefix);
  if (problem) throw new InvalidAccountInput('username', problem);
  return prefix;
}
