import { InvalidAccountInput } from './account-errors';

export interface PasswordRules {
  /** In characters (code points). */
  readonly minLength: number;
  readonly maxLength: number;
}

/** Length is what makes a password strong (NIST SP 800-63B); the cap bounds the hashing work. */
export const DEFAULT_PASSWORD_RULES: PasswordRules = { minLength: 12, maxLength: 1024 };

export function checkNewPassword(
  password: unknown,
  rules: PasswordRules = DEFAULT_PASSWORD_RULES,
): string {
  if (typeof password !== 'string') throw new InvalidAccountInput('password', 'must be a string');
  if (password.length > rules.maxLength * 2) {
    throw new InvalidAccountInput('password', `must be at most ${rules.maxLength} characters`);
  }
  const length = [...password].length;
  if (length < rules.minLength) {
    throw new InvalidAccountInput('password', `must be at least ${rules.minLength} characters`);
  }
  if (length > rules.maxLength) {
    throw new InvalidAccountInput('password', `must be at most ${rules.maxLength} characters`);
  }
  return password;
}

/** A PHC-format argon2id hash (the parameters in any order, as the argon2 package writes them). */
const ARGON2ID_HASH =
  /^\$argon2id\$v=\d+\$[a-z]=\d+(?:,[a-z]=\d+)*\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Checks a ready-made hash (bootstrap files), so a typo cannot create an account nobody can use. */
export function checkPasswordHash(hash: unknown): string {
  if (typeof hash !== 'string' || !ARGON2ID_HASH.test(hash)) {
    throw new InvalidAccountInput(
      'passwordHash',
      'must be an argon2id hash such as npm run cli -- hash-password prints',
    );
  }
  return hash;
}
