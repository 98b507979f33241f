import type { RandomSource } from '../random';
import { randomId } from '../random';

/** 256 random bits, base64url: far beyond guessing, and safe in a Basic credential. */
const CLIENT_SECRET_BYTES = 32;

/** A fresh client secret; it is shown once and only its slow hash is kept. */
export function newClientSecret(random: RandomSource): string {
  return randomId(random, CLIENT_SECRET_BYTES);
}
