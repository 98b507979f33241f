import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import { PrincipalStore, ServiceSecrets } from '@tessera/core';
import type { Connection, Model } from 'mongoose';
import { MongoPrincipalStore } from './principal/mongo-principal-store';
import { PRINCIPAL_MODEL, PrincipalSchema } from './principal/principal.schema';
import { MongoServiceSecrets } from './secrets/mongo-service-secrets';
import { SERVICE_SECRET_MODEL, ServiceSecretSchema } from './secrets/service-secret.schema';
import { chooseWriteGuard } from './write-guard/choose-write-guard';
import { ClaimSweeper } from './write-guard/claim-sweeper';
import type { WriteClaimsMode } from './write-guard/choose-write-guard';
import type { RevisionClaimDocument } from './write-guard/revision-claim.schema';
import { REVISION_CLAIM_MODEL, RevisionClaimSchema } from './write-guard/revision-claim.schema';
import { WriteGuard } from './write-guard/write-guard';

export interface PersistenceOptions {
  /** Whether compare-and-set writes take revision claims (see write-guard.ts). Default `auto`. */
  readonly writeClaims?: WriteClaimsMode;
  /** After this long a claim is taken to belong to a dead writer. Default 5 s. */
  readonly claimLeaseMs?: number;
}

/**
 * Binds the domain's persistence ports to MongoDB. The importing app opens the connection
 * (MongooseModule.forRoot), so tests and the service choose the database.
 */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions = {}): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        MongooseModule.forFeature([
          { name: PRINCIPAL_MODEL, schema: PrincipalSchema },
          { name: REVISION_CLAIM_MODEL, schema: RevisionClaimSchema },
          { name: SERVICE_SECRET_MODEL, schema: ServiceSecretSchema },
        ]),
      ],
      providers: [
        {
          provide: WriteGuard,
          inject: [getConnectionToken(), getModelToken(REVISION_CLAIM_MODEL)],
          useFactory: (connection: Connection, claims: Model<RevisionClaimDocument>) =>
            chooseWriteGuard(
              options.writeClaims ?? 'auto',
              connection,
              claims,
              options.claimLeaseMs ?? 5000,
            ),
        },
        { provide: PrincipalStore, useClass: MongoPrincipalStore },
        { provide: ServiceSecrets, useClass: MongoServiceSecrets },
        ClaimSweeper,
      ],
      exports: [PrincipalStore, ServiceSecrets, ClaimSweeper],
    };
  }
}
