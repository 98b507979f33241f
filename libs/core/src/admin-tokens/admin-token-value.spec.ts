import { cryptoRandom } from '../random';
import { hashValidator, validatorMatches } from '../tokens/split-token';
import { scopesGrant } from './admin-token';
import {
  ADMIN_TOKEN_ID_PATTERN,
  formatAdminToken,
  newAdminTokenParts,
  parseAdminToken,
} from './admin-token-value';

describe('admin token values', () => {
  it('round-trips a fresh token: tsk, a 128-bit id and a 256-bit validator', () => {
    const parts = newAdminTokenParts(cryptoRandom);
    const value = formatAdminToken(parts);
    expect(value).toMatch(/^tsk\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(parseAdminToken(value)).toEqual(parts);
    expect(Buffer.from(parts.validator, 'base64url')).toHaveLength(32);
    expect(ADMIN_TOKEN_ID_PATTERN.test(parts.id)).toBe(true);
  });

  it('never repeats a value', () => {
    const values = new Set(
      Array.from({ length: 1000 }, () => formatAdminToken(newAdminTokenParts(cryptoRandom))),
    );
    expect(values.size).toBe(1000);
  });

  it.each([
    ['empty', ''],
    ['another prefix', `tss.${'a'.repeat(22)}.${'b'.repeat(43)}`],
    ['upper-case prefix', `TSK.${'a'.repeat(22)}.${'b'.repeat(43)}`],
    ['a short id', `tsk.${'a'.repeat(21)}.${'b'.repeat(43)}`],
    ['a long validator', `tsk.${'a'.repeat(22)}.${'b'.repeat(44)}`],
    ['a character outside base64url', `tsk.${'a'.repeat(21)}+.${'b'.repeat(43)}`],
    ['surrounding space', ` tsk.${'a'.repeat(22)}.${'b'.repeat(43)}`],
    ['a trailing newline', `tsk.${'a'.repeat(22)}.${'b'.repeat(43)}\n`],
    ['an extra part', `tsk.${'a'.repeat(22)}.${'b'.repeat(43)}.c`],
  ])('refuses %s', (_label, value) => {
    expect(parseAdminToken(value)).toBeUndefined();
  });

  it('checks a validator against its stored SHA-256 hash only', () => {
    const { validator } = newAdminTokenParts(cryptoRandom);
    const stored = hashValidator(validator);
    expect(stored).not.toContain(validator);
    expect(validatorMatches(validator, stored)).toBe(true);
    expect(validatorMatches(newAdminTokenParts(cryptoRandom).validator, stored)).toBe(false);
    expect(validatorMatches(validator, 'short')).toBe(false);
  });
});

describe('admin scopes', () => {
  it('lets full do everything and read only read', () => {
    expect(scopesGrant(['full'], 'full')).toBe(true);
    expect(scopesGrant(['full'], 'read')).toBe(true);
    expect(scopesGrant(['read'], 'read')).toBe(true);
    expect(scopesGrant(['read'], 'full')).toBe(false);
    expect(scopesGrant([], 'read')).toBe(false);
  });
});
