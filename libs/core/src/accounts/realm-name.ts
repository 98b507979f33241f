import { InvalidAccountInput } from './account-errors';

/** Same rule as realm names in the realms file. */
export const REALM_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseRealmName(raw: unknown): string {
  if (typeof raw !== 'string' || !REALM_NAME.test(raw)) {
    throw new InvalidAccountInput('realm', 'must be a realm name such as "example"');
  }
  return raw;
}
