import type { AttributePolicySpec } from './attribute-policy';
import { AttributePolicy, DEFAULT_POLICY_SPEC, policySpecProblems } from './attribute-policy';

const policy = (spec: Partial<AttributePolicySpec>) =>
  new AttributePolicy({ ...DEFAULT_POLICY_SPEC, ...spec });

describe('AttributePolicy.scopeOf', () => {
  describe('default scope', () => {
    it('treats every key as shared under the default policy (as in Bboss)', () => {
      const p = new AttributePolicy(DEFAULT_POLICY_SPEC);
      expect(DEFAULT_POLICY_SPEC.defaultScope).toBe('shared');
      for (const key of ['theme', 'cart', '', '*', 'a.b', '$x', '__proto__']) {
        expect(p.scopeOf(key)).toBe('shared');
      }
    });

    it('treats unlisted keys as private when the default scope is private', () => {
      const p = policy({ defaultScope: 'private', sharedKeys: ['theme'] });
      expect(p.scopeOf('anything')).toBe('private');
      expect(p.scopeOf('theme')).toBe('shared');
    });
  });

  describe('explicit lists', () => {
    it('makes listed keys private under a shared default', () => {
      const p = policy({ privateKeys: ['token', 'csrf'] });
      expect(p.scopeOf('token')).toBe('private');
      expect(p.scopeOf('csrf')).toBe('private');
      expect(p.scopeOf('theme')).toBe('shared');
    });

    it('makes listed keys shared under a private default', () => {
      const p = policy({ defaultScope: 'private', sharedKeys: ['lang', 'theme'] });
      expect(p.scopeOf('lang')).toBe('shared');
      expect(p.scopeOf('language')).toBe('private');
    });

    it('matches exact names exactly: case, prefixes and suffixes of a listed name do not match', () => {
      const p = policy({ privateKeys: ['token'] });
      expect(p.scopeOf('Token')).toBe('shared');
      expect(p.scopeOf('tok')).toBe('shared');
      expect(p.scopeOf('token2')).toBe('shared');
      expect(p.scopeOf('token ')).toBe('shared');
    });

    it('does not match inherited object properties as listed names', () => {
      const p = policy({ privateKeys: ['token'] });
      expect(p.scopeOf('constructor')).toBe('shared');
      expect(p.scopeOf('__proto__')).toBe('shared');
      expect(p.scopeOf('toString')).toBe('shared');
    });
  });

  describe('prefix patterns', () => {
    it('matches every key starting with the text before a trailing `*`, including the bare prefix', () => {
      const p = policy({ privateKeys: ['cart*'] });
      expect(p.scopeOf('cart')).toBe('private');
      expect(p.scopeOf('cartItems')).toBe('private');
      expect(p.scopeOf('cart.total')).toBe('private');
      expect(p.scopeOf('car')).toBe('shared');
      expect(p.scopeOf('mycart')).toBe('shared');
      expect(p.scopeOf('Cart')).toBe('shared');
    });

    it('treats a `*` that is not trailing as a literal character', () => {
      const p = policy({ privateKeys: ['a*b'] });
      expect(p.scopeOf('a*b')).toBe('private');
      expect(p.scopeOf('axb')).toBe('shared');
      expect(p.scopeOf('a*bc')).toBe('shared');
    });

    it('works under a private default with shared prefixes', () => {
      const p = policy({ defaultScope: 'private', sharedKeys: ['ui.*'] });
      expect(p.scopeOf('ui.theme')).toBe('shared');
      expect(p.scopeOf('ui')).toBe('private');
    });
  });

  describe('the most specific matching pattern decides', () => {
    it('keeps an exactly listed shared key shared inside a private prefix', () => {
      const p = policy({ sharedKeys: ['cartCount'], privateKeys: ['cart*'] });
      expect(p.scopeOf('cartCount')).toBe('shared');
      expect(p.scopeOf('cartItems')).toBe('private');
    });

    it('keeps an exactly listed private key private inside a shared prefix', () => {
      const p = policy({
        defaultScope: 'private',
        sharedKeys: ['user*'],
        privateKeys: ['userToken'],
      });
      expect(p.scopeOf('userToken')).toBe('private');
      expect(p.scopeOf('userName')).toBe('shared');
    });

    it('lets an exact name beat a prefix of any length in the other list, under either default', () => {
      for (const defaultScope of ['shared', 'private'] as const) {
        const exactShared = policy({
          defaultScope,
          sharedKeys: ['user.token.id'],
          privateKeys: ['user.token.*', 'u*'],
        });
        expect(exactShared.scopeOf('user.token.id')).toBe('shared');
        expect(exactShared.scopeOf('user.token.idx')).toBe('private');
        const exactPrivate = policy({
          defaultScope,
          sharedKeys: ['user.token.*', 'u*'],
          privateKeys: ['user.token.id'],
        });
        expect(exactPrivate.scopeOf('user.token.id')).toBe('private');
        expect(exactPrivate.scopeOf('user.token.idx')).toBe('shared');
      }
    });

    it('lets an exact name beat the bare prefix of the same text (`cart` vs `cart*`)', () => {
      const p = policy({ defaultScope: 'private', sharedKeys: ['cart'], privateKeys: ['cart*'] });
      expect(p.scopeOf('cart')).toBe('shared');
      expect(p.scopeOf('carts')).toBe('private');
      const q = policy({ sharedKeys: ['cart*'], privateKeys: ['cart'] });
      expect(q.scopeOf('cart')).toBe('private');
      expect(q.scopeOf('carts')).toBe('shared');
    });

    it('lets the longer (more specific) prefix decide when prefixes in both lists match', () => {
      const p = policy({ sharedKeys: ['user.*'], privateKeys: ['user.token*'] });
      expect(p.scopeOf('user.name')).toBe('shared');
      expect(p.scopeOf('user.token.refresh')).toBe('private');
      expect(p.scopeOf('user.token')).toBe('private');
      expect(p.scopeOf('user.toke')).toBe('shared');
      expect(p.scopeOf('other')).toBe('shared');
    });

    it('lets the longest prefix decide through several nested levels, whichever list it is in', () => {
      const p = policy({
        defaultScope: 'private',
        sharedKeys: ['a.*', 'a.b.c.*'],
        privateKeys: ['a.b.*', 'a.b.c.d.*'],
      });
      expect(p.scopeOf('a.x')).toBe('shared');
      expect(p.scopeOf('a.b.x')).toBe('private');
      expect(p.scopeOf('a.b.c.x')).toBe('shared');
      expect(p.scopeOf('a.b.c.d.x')).toBe('private');
      expect(p.scopeOf('b')).toBe('private');
    });

    it('does not depend on the order in which patterns are listed', () => {
      const forward = policy({ sharedKeys: ['a*', 'abc*'], privateKeys: ['ab*', 'abcd*'] });
      const backward = policy({ sharedKeys: ['abc*', 'a*'], privateKeys: ['abcd*', 'ab*'] });
      for (const key of ['a', 'ab', 'abc', 'abcd', 'abcde', 'x']) {
        expect(backward.scopeOf(key)).toBe(forward.scopeOf(key));
      }
      expect(forward.scopeOf('abcde')).toBe('private');
      expect(forward.scopeOf('abc')).toBe('shared');
    });

    it('falls back to the default when a key is listed exactly in both lists', () => {
      expect(policy({ sharedKeys: ['k'], privateKeys: ['k'] }).scopeOf('k')).toBe('shared');
      expect(
        policy({ defaultScope: 'private', sharedKeys: ['k'], privateKeys: ['k'] }).scopeOf('k'),
      ).toBe('private');
    });

    it('falls back to the default when the same prefix is in both lists', () => {
      const p = policy({ defaultScope: 'private', sharedKeys: ['a*'], privateKeys: ['a*'] });
      expect(p.scopeOf('abc')).toBe('private');
      expect(
        policy({ defaultScope: 'shared', sharedKeys: ['a*'], privateKeys: ['a*'] }).scopeOf('abc'),
      ).toBe('shared');
    });
  });
});

describe('AttributePolicy.fingerprint', () => {
  it('is a short stable digest: the same spec gives the same fingerprint', () => {
    const spec: AttributePolicySpec = {
      defaultScope: 'shared',
      sharedKeys: ['a'],
      privateKeys: ['b*'],
    };
    const a = new AttributePolicy(spec);
    const b = new AttributePolicy({ ...spec, sharedKeys: ['a'], privateKeys: ['b*'] });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it('changes with the default scope, with either list, and with a pattern becoming a prefix', () => {
    const base: AttributePolicySpec = {
      defaultScope: 'shared',
      sharedKeys: ['a'],
      privateKeys: ['b'],
    };
    const prints = [
      base,
      { ...base, defaultScope: 'private' as const },
      { ...base, sharedKeys: ['a', 'c'] },
      { ...base, privateKeys: ['b', 'c'] },
      { ...base, privateKeys: ['b*'] },
      { ...base, sharedKeys: ['b'], privateKeys: ['a'] },
      { ...base, sharedKeys: [], privateKeys: ['a', 'b'] },
    ].map((spec) => new AttributePolicy(spec).fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('does not confuse list boundaries (["a,b"] is not ["a", "b"])', () => {
    const one = policy({ privateKeys: ['a,b'] }).fingerprint;
    const two = policy({ privateKeys: ['a', 'b'] }).fingerprint;
    expect(one).not.toBe(two);
  });

  it('exposes the spec it was built from', () => {
    const spec: AttributePolicySpec = {
      defaultScope: 'private',
      sharedKeys: ['x'],
      privateKeys: [],
    };
    expect(new AttributePolicy(spec).spec).toBe(spec);
  });
});

describe('policySpecProblems', () => {
  it('finds nothing wrong with the default spec or a sound one', () => {
    expect(policySpecProblems(DEFAULT_POLICY_SPEC)).toEqual([]);
    expect(
      policySpecProblems({
        defaultScope: 'shared',
        sharedKeys: ['cartCount'],
        privateKeys: ['cart*'],
      }),
    ).toEqual([]);
  });

  it('reports a pattern listed as both shared and private, naming it', () => {
    const problems = policySpecProblems({
      defaultScope: 'shared',
      sharedKeys: ['token', 'cart*'],
      privateKeys: ['cart*', 'token'],
    });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('"token"');
    expect(problems.join('\n')).toContain('"cart*"');
    expect(problems.join('\n')).toContain('both shared and private');
  });

  it('reports empty patterns and the match-everything `*` in either list', () => {
    const problems = policySpecProblems({
      defaultScope: 'shared',
      sharedKeys: [''],
      privateKeys: ['*'],
    });
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => p.includes('use defaultScope'))).toBe(true);
  });

  it('reports every problem, not only the first one', () => {
    const problems = policySpecProblems({
      defaultScope: 'private',
      sharedKeys: ['*', 'k'],
      privateKeys: ['k', ''],
    });
    expect(problems).toHaveLength(3);
  });
});
