import { InvalidAccountInput } from './account-errors';

/** The claims a local account can carry; apps see them in the principal's profile. */
export const ACCOUNT_PROFILE_FIELDS = ['name', 'email'] as const;
export type AccountProfileField = (typeof ACCOUNT_PROFILE_FIELDS)[number];

export type AccountProfileInput = Partial<Record<AccountProfileField, unknown>>;

const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 254;
const CONTROL = /[\p{C}\p{Zl}\p{Zp}]/u;
/** Deliberately loose: one @, no spaces; deliverability is the mail system's business. */
const EMAIL = /^[^\s@]+@[^\s@]+$/u;

/** Validates the optional profile fields; absent or empty ones are left out. */
export function parseProfile(input: AccountProfileInput): Record<string, string> {
  const profile: Record<string, string> = {};
  const name = optionalText('name', input.name, MAX_NAME_LENGTH);
  if (name !== undefined) profile.name = name;
  const email = optionalText('email', input.email, MAX_EMAIL_LENGTH);
  if (email !== undefined) {
    if (!EMAIL.test(email)) throw new InvalidAccountInput('email', 'is not an email address');
    profile.email = email;
  }
  return profile;
}

function optionalText(
  field: AccountProfileField,
  value: unknown,
  maxLength: number,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidAccountInput(field, 'must be a string');
  const text = value.normalize('NFC').trim();
  if (text === '') return undefined;
  if ([...text].length > maxLength) {
    throw new InvalidAccountInput(field, `must be at most ${maxLength} characters`);
  }
  if (CONTROL.test(text))
    throw new InvalidAccountInput(field, 'must not contain control characters');
  return text;
}
