import { Controller, Get, Header } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { Public } from '../http/access';
import { SigningKeys } from './signing-keys';

/**
 * The public keys that verify the service's tokens. Cached for five minutes: a new key is
 * published `TESSERA_SIGNING_KEY_PUBLISH_LEAD_SECONDS` (at least 300 s) before it signs.
 */
@Controller('.well-known/jwks.json')
@Public()
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Content-Type', 'application/jwk-set+json')
  async jwks(): Promise<JSONWebKeySet> {
    return { keys: await this.keys.published() };
  }
}
