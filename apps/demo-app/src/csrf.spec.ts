import type { RequestSession } from '@tessera/sdk';
import { csrfTokenMatches, csrfTokenOf, originAllowed } from './csrf';

describe('CSRF form check', () => {
  const token = 'T'.repeat(43);

  it('accepts only the exact token of the session', () => {
    expect(csrfTokenMatches(token, token)).toBe(true);
    expect(csrfTokenMatches(token, `${token}x`)).toBe(false);
    expect(csrfTokenMatches(token, 't'.repeat(43))).toBe(false);
    expect(csrfTokenMatches(token, '')).toBe(false);
    expect(csrfTokenMatches(token, undefined)).toBe(false);
    expect(csrfTokenMatches(token, [token])).toBe(false);
  });

  it('fails when the session has no token (or a short one), even if the form matches it', () => {
    expect(csrfTokenMatches(undefined, undefined)).toBe(false);
    expect(csrfTokenMatches('', '')).toBe(false);
    expect(csrfTokenMatches('short', 'short')).toBe(false);
  });

  it('refuses a foreign or opaque Origin, and leaves a missing one to the token', () => {
    const own = 'http://shop.example.test:3001';
    expect(originAllowed(own, own)).toBe(true);
    expect(originAllowed(undefined, own)).toBe(true);
    expect(originAllowed('http://evil.example', own)).toBe(false);
    expect(originAllowed('http://portal.example.test:3002', own)).toBe(false);
    expect(originAllowed('null', own)).toBe(false);
  });

  it('creates a token once per session and reuses it', () => {
    const store = new Map<string, unknown>();
    const session = {
      get: (key: string) => store.get(key),
      set: (key: string, value: unknown) => store.set(key, value),
    } as unknown as RequestSession;
    const first = csrfTokenOf(session);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.get('csrf')).toBe(first);
    expect(csrfTokenOf(session)).toBe(first);
  });
});
