import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): the verifier stays with the app, the challenge goes to /authorize. */
export interface PkcePair {
  readonly verifier: string;
  /** base64url(SHA-256(verifier)), sent with `code_challenge_method=S256`. */
  readonly challenge: string;
}

/** 32 random bytes as base64url (43 characters): 256 bits, for `state` and the PKCE verifier. */
export function randomUrlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A fresh verifier (43 unreserved characters, the shortest RFC 7636 allows) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = randomUrlToken();
  return { verifier, challenge: s256Challenge(verifier) };
}

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
