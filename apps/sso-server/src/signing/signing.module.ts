import { Global, Module } from '@nestjs/common';
import type { Clock, RandomSource } from '@tessera/core';
import { LogoutTokenIssuer } from '@tessera/core';
import { SigningKeyStore } from '@tessera/persistence';
import { ServiceSettings } from '../config/service-settings';
import { CLOCK, RANDOM } from '../core/injection-tokens';
import { DiscoveryController } from './discovery.controller';
import { JoseLogoutTokenIssuer } from './jose-logout-token-issuer';
import { JwksController } from './jwks.controller';
import { SigningKeys } from './signing-keys';

/**
 * Signing keys, the logout token issuer and the documents that publish them. Global, so the
 * outbox dispatcher injects `LogoutTokenIssuer` without importing this module.
 */
@Global()
@Module({
  controllers: [JwksController, DiscoveryController],
  providers: [
    {
      provide: SigningKeys,
      inject: [SigningKeyStore, CLOCK, ServiceSettings],
      useFactory: (store: SigningKeyStore, clock: Clock, s: ServiceSettings) =>
        new SigningKeys(store, clock, s.signing),
    },
    {
      provide: LogoutTokenIssuer,
      inject: [SigningKeys, CLOCK, RANDOM, ServiceSettings],
      useFactory: (keys: SigningKeys, clock: Clock, random: RandomSource, s: ServiceSettings) =>
        new JoseLogoutTokenIssuer(keys, clock, random, {
          issuer: s.publicUrl.origin,
          ttlMs: s.signing.logoutTokenTtlMs,
        }),
    },
  ],
  exports: [SigningKeys, LogoutTokenIssuer],
})
export class SigningModule {}
