import { InvalidAttributeOperation } from '../errors';
import { assertValidAttributeKey, decodeAttributeKey, encodeAttributeKey } from './attribute-key';

/** Field names MongoDB and FerretDB accept for attribute keys. */
function expectSafeFieldName(field: string): void {
  expect(field).not.toContain('.');
  expect(field.startsWith('$')).toBe(false);
  expect(field).not.toContain('\u0000');
  expect(field.startsWith('k:')).toBe(true);
  expect(['__proto__', 'constructor', 'prototype']).not.toContain(field);
}

const AWKWARD_KEYS = [
  'theme',
  'a.b.c',
  '.',
  '..',
  '.leading',
  'trailing.',
  '$',
  '$set',
  '$where',
  'a$b',
  '%',
  '%2E',
  '%25',
  '%zz',
  'k:',
  'k:already-prefixed',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'clé',
  'Ключ',
  '鍵',
  '🙂',
  '👩‍👩‍👧‍👦',
  '🇫🇷',
  'a b',
  ' ',
  '*',
  '~!@#^&*()_+-={}[]|\\:;"\'<>,?/`',
  'e\u0301', // decomposed é
  '\u00e9', // precomposed é
  'x'.repeat(256),
];

describe('encodeAttributeKey / decodeAttributeKey', () => {
  it.each(AWKWARD_KEYS)('round-trips %j to a safe field name', (key) => {
    const field = encodeAttributeKey(key);
    expectSafeFieldName(field);
    expect(decodeAttributeKey(field)).toBe(key);
  });

  it('maps distinct keys to distinct fields', () => {
    const fields = AWKWARD_KEYS.map(encodeAttributeKey);
    expect(new Set(fields).size).toBe(AWKWARD_KEYS.length);
  });

  it('keeps plain ASCII keys readable', () => {
    expect(encodeAttributeKey('theme')).toBe('k:theme');
    expect(encodeAttributeKey('user_id-2')).toBe('k:user_id-2');
  });

  it('encodes `.` and `$` so that no field contains a dot or starts with a dollar', () => {
    expect(encodeAttributeKey('a.b')).toBe('k:a%2Eb');
    expect(encodeAttributeKey('$set')).toBe('k:%24set');
  });

  it('does not distinguish `.` from its encoded form on decoding (lower-case %2e)', () => {
    expect(decodeAttributeKey('k:a%2eb')).toBe('a.b');
  });

  it('round-trips random well-formed keys (seeded) to safe field names', () => {
    let state = 20300101;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    const alphabet = ['.', '$', '%', '_', 'a', 'Z', '0', ' ', 'é', '鍵', '🙂', '\u200d', ':', '/'];
    for (let i = 0; i < 500; i++) {
      const length = 1 + (next() % 12);
      let key = '';
      for (let j = 0; j < length; j++) key += alphabet[next() % alphabet.length];
      const field = encodeAttributeKey(key);
      expectSafeFieldName(field);
      expect(decodeAttributeKey(field)).toBe(key);
    }
  });

  it('refuses to decode a stored field without the key prefix', () => {
    expect(() => decodeAttributeKey('theme')).toThrow(/lacks the key prefix/);
    expect(() => decodeAttributeKey('')).toThrow(/lacks the key prefix/);
  });

  it('throws on a lone surrogate, so keys must be validated before encoding', () => {
    expect(() => encodeAttributeKey('\ud800')).toThrow(URIError);
  });
});

describe('assertValidAttributeKey', () => {
  it.each(AWKWARD_KEYS)('accepts %j', (key) => {
    expect(() => assertValidAttributeKey(key)).not.toThrow();
  });

  it('refuses an empty key', () => {
    expect(() => assertValidAttributeKey('')).toThrow(InvalidAttributeOperation);
    expect(() => assertValidAttributeKey('')).toThrow(/must not be empty/);
  });

  it.each([
    ['a lone high surrogate', '\ud83d'],
    ['a lone low surrogate', '\ude42'],
    ['a high surrogate before a normal character', 'a\ud83db'],
    ['surrogates in the wrong order', '\ude42\ud83d'],
  ])('refuses %s', (_name, key) => {
    expect(() => assertValidAttributeKey(key)).toThrow(/not well-formed unicode/);
  });

  it.each([
    ['NUL', '\u0000'],
    ['a tab', 'a\tb'],
    ['a newline', 'line\n'],
    ['a carriage return', '\r'],
    ['escape', '\u001b[31m'],
    ['DEL', '\u007f'],
    ['a C1 control (NEL)', '\u0085'],
  ])('refuses a key containing %s', (_name, key) => {
    expect(() => assertValidAttributeKey(key)).toThrow(/control character/);
  });

  it('throws the domain error with the invalid_request code', () => {
    try {
      assertValidAttributeKey('\u0000');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidAttributeOperation);
      expect((error as InvalidAttributeOperation).code).toBe('invalid_request');
    }
  });
});
