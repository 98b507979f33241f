import type { JWK } from 'jose';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

export const SIGNING_ALG = 'ES256';

export interface GeneratedKeyPair {
  /** RFC 7638 thumbprint of the public key (base64url), so a kid names exactly one key. */
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

/** A fresh P-256 key pair for ES256, as JWKs ready to store. */
export async function generateSigningKeyPair(): Promise<GeneratedKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const bare = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(bare, 'sha256');
  const members = { kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    kid,
    publicJwk: { ...bare, ...members },
    privateJwk: { ...(await exportJWK(privateKey)), ...members },
  };
}
