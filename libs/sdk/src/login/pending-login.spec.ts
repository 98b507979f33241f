import type { PendingLogin } from './pending-login';
import { sameSecret, signPendingLogin, signingKey, verifyPendingLogin } from './pending-login';

const key = signingKey('k'.repeat(32));
const login: PendingLogin = {
  state: 'S'.repeat(43),
  verifier: 'V'.repeat(43),
  returnTo: '/cart?x=1',
  expiresAt: 1_000_000,
  prompt: 'none',
};

describe('pending-login cookie value', () => {
  it('round-trips until it expires', () => {
    const value = signPendingLogin(key, login);
    expect(verifyPendingLogin(key, value, 999_999)).toEqual(login);
    expect(verifyPendingLogin(key, value, 1_000_000)).toBeUndefined();
    const withoutPrompt: PendingLogin = { ...login, prompt: undefined };
    expect(verifyPendingLogin(key, signPendingLogin(key, withoutPrompt), 0)).toEqual(withoutPrompt);
  });

  it('refuses a changed payload, a changed tag, another key and garbage', () => {
    const value = signPendingLogin(key, login);
    const [body, tag] = value.split('.');
    const forged = Buffer.from(
      JSON.stringify({ s: login.state, v: login.verifier, r: '//evil', e: 2_000_000 }),
    ).toString('base64url');
    expect(verifyPendingLogin(key, `${forged}.${tag}`, 0)).toBeUndefined();
    const flipped = tag.slice(0, -1) + (tag.endsWith('A') ? 'B' : 'A');
    expect(verifyPendingLogin(key, `${body}.${flipped}`, 0)).toBeUndefined();
    expect(verifyPendingLogin(signingKey('x'.repeat(32)), value, 0)).toBeUndefined();
    for (const junk of [undefined, '', '.', body, `${body}.`, `.${tag}`, 'a.b.c']) {
      expect(verifyPendingLogin(key, junk, 0)).toBeUndefined();
    }
  });

  it('refuses a genuine signature over a body of the wrong shape', () => {
    // Signed with the right key but not by signPendingLogin: still not a pending login.
    const odd = signPendingLogin(key, { ...login, expiresAt: 'soon' as unknown as number });
    expect(verifyPendingLogin(key, odd, 0)).toBeUndefined();
  });

  it('requires a secret of at least 32 bytes', () => {
    expect(() => signingKey('short')).toThrow(/at least 32 bytes/);
    expect(() => signingKey(Buffer.alloc(31))).toThrow(TypeError);
    expect(signingKey(Buffer.alloc(32))).toHaveLength(32);
  });

  it('compares states in constant time, by value', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
});
