import { Injectable } from '@nestjs/common';
import { SecretHasher } from '@tessera/core';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { SlowWorkGate } from './slow-work-gate';

/** At most this many argon2 runs at once (64 MiB each), and this many waiting for a turn. */
const MAX_RUNNING = 4;
const MAX_WAITING = 64;

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes), through a bounded gate. */
@Injectable()
export class Argon2SecretHasher extends SecretHasher {
  private dummyHash?: Promise<string>;
  private readonly gate = new SlowWorkGate(MAX_RUNNING, MAX_WAITING);

  hash(secret: string): Promise<string> {
    return this.gate.run(() => argon2.hash(secret, { type: argon2.argon2id }));
  }

  async verify(hash: string | undefined, secret: string): Promise<boolean> {
    if (hash === undefined) {
      // Same work as a real check, so an unknown client or account cannot be told apart by timing.
      this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
      await this.check(await this.dummyHash, secret);
      return false;
    }
    return this.check(hash, secret);
  }

  private async check(hash: string, secret: string): Promise<boolean> {
    return this.gate.run(async () => {
      try {
        return await argon2.verify(hash, secret);
      } catch {
        return false; // a malformed stored hash never authenticates
      }
    });
  }
}
