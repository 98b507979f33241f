import { InvalidAccountInput } from './account-errors';
import { normalizeUsername, parseUsername, parseUsernamePrefix, signInUsername } from './username';

describe('username normalisation', () => {
  it.each([
    ['  Ada  ', 'ada'],
    ['ADA', 'ada'],
    ['ＡＤＡ', 'ada'], // full-width letters
    ['ﬁnn', 'finn'], // ligature
    ['Ada\u3000', 'ada'], // ideographic space becomes a space, then trimmed
    ['Ǆemal', 'džemal'],
    ['Ａda.Lovelace@Example.TEST', 'ada.lovelace@example.test'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(normalizeUsername(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const raw of ['İstanbul', 'ẞtraße', 'Ａda', 'ΣΊΣΥΦΟΣ', 'e\u0301']) {
      const once = normalizeUsername(raw);
      expect(normalizeUsername(once)).toBe(once);
    }
  });

  it('makes differently composed spellings the same username', () => {
    expect(normalizeUsername('Jose\u0301')).toBe(normalizeUsername('José'));
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'a'.repeat(65)],
    ['a control character', 'ada\u0000'],
    ['a newline', 'ada\nroot'],
    ['a zero-width space', 'a\u200Bda'],
    ['a right-to-left override', 'ada\u202Etxt'],
    ['a lone surrogate', 'ada\uD800'],
    ['a line separator', 'ada\u2028root'],
  ])('refuses a username that is %s', (_label, raw) => {
    expect(() => parseUsername(raw)).toThrow(InvalidAccountInput);
    expect(signInUsername(raw)).toBeUndefined();
  });

  it('counts length in characters, not UTF-16 units', () => {
    expect(parseUsername('😀'.repeat(64))).toBe('😀'.repeat(64));
    expect(() => parseUsername('😀'.repeat(65))).toThrow(/at most 64/);
  });

  it('keeps inner spaces and punctuation', () => {
    expect(parseUsername(' Ada  Lovelace ')).toBe('ada  lovelace');
    expect(parseUsername('o’brien-2')).toBe('o’brien-2');
  });

  it('refuses anything that is not a string, such as an operator object', () => {
    expect(() => parseUsername({ $gt: '' })).toThrow(InvalidAccountInput);
    expect(() => parseUsername(42)).toThrow(InvalidAccountInput);
  });

  it('refuses a huge input before normalising it', () => {
    expect(() => parseUsername('a'.repeat(1_000_000))).toThrow(/at most 64/);
    expect(signInUsername('a'.repeat(1_000_000))).toBeUndefined();
  });
});

describe('username prefix (listing filter)', () => {
  it('folds like usernames but keeps a trailing space, which is part of what is asked', () => {
    expect(parseUsernamePrefix('ＡＤ')).toBe('ad');
    expect(parseUsernamePrefix('  Ada ')).toBe('ada ');
  });

  it('treats an empty prefix as no filter', () => {
    expect(parseUsernamePrefix(undefined)).toBeUndefined();
    expect(parseUsernamePrefix('')).toBeUndefined();
    expect(parseUsernamePrefix('   ')).toBeUndefined();
  });

  it('refuses what no username can start with, and anything but a string', () => {
    expect(() => parseUsernamePrefix('a\u0000')).toThrow(InvalidAccountInput);
    expect(() => parseUsernamePrefix('a'.repeat(65))).toThrow(/at most 64/);
    expect(() => parseUsernamePrefix({ $ne: 'x' })).toThrow(InvalidAccountInput);
    expect(() => parseUsernamePrefix(['a', 'b'])).toThrow(InvalidAccountInput);
  });
});
