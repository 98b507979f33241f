import { randomBytes } from 'node:crypto';

/** Source of unpredictable bytes for ids and token validators; injected so tests can pin it. */
export interface RandomSource {
  bytes(size: number): Buffer;
}

export const cryptoRandom: RandomSource = { bytes: (size) => randomBytes(size) };

export function randomId(random: RandomSource, size: number): string {
  return random.bytes(size).toString('base64url');
}
