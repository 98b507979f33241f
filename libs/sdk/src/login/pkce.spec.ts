import { createHash } from 'node:crypto';
import { createPkcePair, randomUrlToken, s256Challenge } from './pkce';

describe('PKCE pair', () => {
  it('has a 43-character unreserved verifier (256 bits) and its S256 challenge', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(verifier, 'base64url')).toHaveLength(32);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('matches the RFC 7636 appendix B example', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('never repeats', () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomUrlToken()));
    expect(seen.size).toBe(200);
    expect(createPkcePair().verifier).not.toBe(createPkcePair().verifier);
  });
});
