import { createHash } from 'node:crypto';
import type { RandomSource } from '../random';
import { cryptoRandom } from '../random';
import {
  ID_BYTES,
  formatAppSessionToken,
  formatSsoToken,
  hashValidator,
  newHandleId,
  newPrincipalId,
  newSessionId,
  newValidator,
  parseAppSessionToken,
  parseSsoToken,
  validatorMatches,
} from './split-token';

/** Unpadded base64url length of `bytes` bytes. */
const b64len = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** A random source that records the sizes asked for and answers predictable bytes. */
function recordingRandom(): RandomSource & { sizes: number[] } {
  const sizes: number[] = [];
  let counter = 0;
  return {
    sizes,
    bytes(size: number) {
      sizes.push(size);
      return Buffer.from(Array.from({ length: size }, () => counter++ & 0xff));
    },
  };
}

const appParts = () => ({
  principalId: newPrincipalId(cryptoRandom),
  sessionId: newSessionId(cryptoRandom),
  handleId: newHandleId(cryptoRandom),
  validator: newValidator(cryptoRandom),
});

const ssoParts = () => ({
  principalId: newPrincipalId(cryptoRandom),
  sessionId: newSessionId(cryptoRandom),
  validator: newValidator(cryptoRandom),
});

describe('ids and validators', () => {
  it('advertise at least 128 bits for principal and session ids and 256 bits for validators', () => {
    expect(ID_BYTES.principal * 8).toBeGreaterThanOrEqual(128);
    expect(ID_BYTES.session * 8).toBeGreaterThanOrEqual(128);
    expect(ID_BYTES.handle * 8).toBeGreaterThanOrEqual(96);
    expect(ID_BYTES.validator * 8).toBe(256);
  });

  it('ask the random source for exactly the advertised number of bytes', () => {
    const random = recordingRandom();
    newPrincipalId(random);
    newSessionId(random);
    newHandleId(random);
    newValidator(random);
    expect(random.sizes).toEqual([
      ID_BYTES.principal,
      ID_BYTES.session,
      ID_BYTES.handle,
      ID_BYTES.validator,
    ]);
  });

  it('are unpadded base64url of the advertised length that decode back to that many bytes', () => {
    const cases: [string, number][] = [
      [newPrincipalId(cryptoRandom), ID_BYTES.principal],
      [newSessionId(cryptoRandom), ID_BYTES.session],
      [newHandleId(cryptoRandom), ID_BYTES.handle],
      [newValidator(cryptoRandom), ID_BYTES.validator],
    ];
    for (const [id, bytes] of cases) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(id).toHaveLength(b64len(bytes));
      expect(Buffer.from(id, 'base64url')).toHaveLength(bytes);
    }
    expect(b64len(ID_BYTES.principal)).toBe(22);
    expect(b64len(ID_BYTES.handle)).toBe(16);
    expect(b64len(ID_BYTES.validator)).toBe(43);
  });

  it('are different each time from the crypto source', () => {
    const validators = new Set(Array.from({ length: 200 }, () => newValidator(cryptoRandom)));
    expect(validators.size).toBe(200);
  });
});

describe('app session tokens', () => {
  it('round-trip through format and parse', () => {
    for (let i = 0; i < 50; i++) {
      const parts = appParts();
      const token = formatAppSessionToken(parts);
      expect(token.startsWith('tsa.')).toBe(true);
      expect(parseAppSessionToken(token)).toEqual(parts);
    }
  });

  it('contain only the random ids, never anything else', () => {
    const parts = appParts();
    expect(formatAppSessionToken(parts).split('.')).toEqual([
      'tsa',
      parts.principalId,
      parts.sessionId,
      parts.handleId,
      parts.validator,
    ]);
  });

  describe('parse refuses', () => {
    const token = () => formatAppSessionToken(appParts());

    it('an SSO token (wrong prefix) and other prefixes', () => {
      expect(parseAppSessionToken(formatSsoToken(ssoParts()))).toBeUndefined();
      expect(parseAppSessionToken(token().replace(/^tsa/, 'tss'))).toBeUndefined();
      expect(parseAppSessionToken(token().replace(/^tsa/, 'TSA'))).toBeUndefined();
      expect(parseAppSessionToken(token().replace(/^tsa\./, ''))).toBeUndefined();
    });

    it('a part that is one character short or long', () => {
      const parts = appParts();
      const keys = ['principalId', 'sessionId', 'handleId', 'validator'] as const;
      for (const key of keys) {
        expect(
          parseAppSessionToken(formatAppSessionToken({ ...parts, [key]: parts[key].slice(1) })),
        ).toBeUndefined();
        expect(
          parseAppSessionToken(formatAppSessionToken({ ...parts, [key]: parts[key] + 'A' })),
        ).toBeUndefined();
      }
    });

    it('a missing or extra part', () => {
      const t = token();
      expect(parseAppSessionToken(t.split('.').slice(0, 4).join('.'))).toBeUndefined();
      expect(parseAppSessionToken(`${t}.extra`)).toBeUndefined();
      expect(parseAppSessionToken(`${t}.`)).toBeUndefined();
    });

    it('characters outside base64url, padding and whitespace', () => {
      const t = token();
      expect(parseAppSessionToken(t.slice(0, -1) + '=')).toBeUndefined();
      expect(parseAppSessionToken(t.slice(0, -1) + '+')).toBeUndefined();
      expect(parseAppSessionToken(t.slice(0, -1) + '/')).toBeUndefined();
      expect(parseAppSessionToken(` ${t}`)).toBeUndefined();
      expect(parseAppSessionToken(`${t}\n`)).toBeUndefined();
      expect(parseAppSessionToken(`${t} `)).toBeUndefined();
    });

    it('the empty string and garbage', () => {
      expect(parseAppSessionToken('')).toBeUndefined();
      expect(parseAppSessionToken('tsa....')).toBeUndefined();
      expect(parseAppSessionToken('a'.repeat(10_000))).toBeUndefined();
    });
  });
});

describe('SSO tokens', () => {
  it('round-trip through format and parse', () => {
    for (let i = 0; i < 50; i++) {
      const parts = ssoParts();
      const token = formatSsoToken(parts);
      expect(token.startsWith('tss.')).toBe(true);
      expect(parseSsoToken(token)).toEqual(parts);
    }
  });

  it('parse refuses app session tokens, wrong prefixes, wrong lengths and extra parts', () => {
    const parts = ssoParts();
    const token = formatSsoToken(parts);
    expect(parseSsoToken(formatAppSessionToken(appParts()))).toBeUndefined();
    expect(parseSsoToken(token.replace(/^tss/, 'tsa'))).toBeUndefined();
    expect(
      parseSsoToken(formatSsoToken({ ...parts, validator: parts.validator.slice(1) })),
    ).toBeUndefined();
    expect(
      parseSsoToken(formatSsoToken({ ...parts, sessionId: parts.sessionId + 'x' })),
    ).toBeUndefined();
    expect(parseSsoToken(`${token}.extra`)).toBeUndefined();
    expect(parseSsoToken(token.split('.').slice(0, 3).join('.'))).toBeUndefined();
  });
});

describe('hashValidator and validatorMatches', () => {
  it('store the validator as an unpadded base64url SHA-256 digest, never the validator itself', () => {
    const validator = newValidator(cryptoRandom);
    const hash = hashValidator(validator);
    expect(hash).toBe(createHash('sha256').update(validator).digest('base64url'));
    expect(hash).toHaveLength(43);
    expect(hash).not.toContain(validator);
  });

  it('match the validator that was hashed', () => {
    const validator = newValidator(cryptoRandom);
    expect(validatorMatches(validator, hashValidator(validator))).toBe(true);
  });

  it('refuse a tampered validator (one character changed)', () => {
    const validator = newValidator(cryptoRandom);
    const hash = hashValidator(validator);
    const flipped = (validator[0] === 'A' ? 'B' : 'A') + validator.slice(1);
    expect(validatorMatches(flipped, hash)).toBe(false);
    expect(validatorMatches(validator.slice(1), hash)).toBe(false);
    expect(validatorMatches(`${validator}A`, hash)).toBe(false);
    expect(validatorMatches('', hash)).toBe(false);
  });

  it('refuse another token’s validator', () => {
    expect(
      validatorMatches(newValidator(cryptoRandom), hashValidator(newValidator(cryptoRandom))),
    ).toBe(false);
  });

  it('refuse (without throwing) a stored hash of the wrong length or garbage', () => {
    const validator = newValidator(cryptoRandom);
    const hash = hashValidator(validator);
    expect(validatorMatches(validator, hash.slice(0, -2))).toBe(false);
    expect(validatorMatches(validator, `${hash}AAAA`)).toBe(false);
    expect(validatorMatches(validator, '')).toBe(false);
    expect(validatorMatches(validator, '!!!')).toBe(false);
  });

  it('compare the validator itself, not a hash presented in its place', () => {
    const validator = newValidator(cryptoRandom);
    const hash = hashValidator(validator);
    expect(validatorMatches(hash, hash)).toBe(false);
  });
});
