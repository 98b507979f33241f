import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import {
  AccountStore,
  AppStore,
  AdminTokenStore,
  AuditLog,
  LoginThrottleStore,
  LogoutOutbox,
  OnlinePrincipals,
  PrincipalStore,
  ServiceSecrets,
} from '@tessera/core';
import type { SessionTimeouts } from '@tessera/core';
import { MongoLogoutOutbox } from './logout-outbox/mongo-logout-outbox';
import { OUTBOX_ENTRY_MODEL, OutboxEntrySchema } from './logout-outbox/outbox-entry.schema';
import { DELIVERY_LEASE_MODEL, DeliveryLeaseSchema } from './logout-outbox/delivery-lease.schema';
import type { Connection, Model } from 'mongoose';
import { ACCOUNT_MODEL, AccountSchema } from './accounts/account.schema';
import { APP_GENERATION_MODEL, AppGenerationSchema } from './apps/app-generation.schema';
import { APP_MODEL, AppSchema } from './apps/app.schema';
import { MongoAppStore } from './apps/mongo-app-store';
import { MongoAccountStore } from './accounts/mongo-account-store';
import { ADMIN_TOKEN_MODEL, AdminTokenSchema } from './admin-tokens/admin-token.schema';
import { MongoAdminTokenStore } from './admin-tokens/mongo-admin-token-store';
import { AUDIT_EVENT_MODEL, AuditEventSchema } from './audit/audit-event.schema';
import { MongoAuditLog } from './audit/mongo-audit-log';
import { MongoLoginThrottleStore } from './login-throttle/mongo-login-throttle-store';
import {
  THROTTLE_COUNTER_MODEL,
  ThrottleCounterSchema,
} from './login-throttle/throttle-counter.schema';
import { ThrottleSweeper } from './login-throttle/throttle-sweeper';
import { MongoPrincipalStore } from './principal/mongo-principal-store';
import { MongoOnlinePrincipals } from './principal/mongo-online-principals';
import {
  DEFAULT_SUMMARY_TIMEOUTS,
  PRINCIPAL_SUMMARY_TIMEOUTS,
} from './principal/principal-summary.timeouts';
import { PRINCIPAL_MODEL, PrincipalSchema } from './principal/principal.schema';
import { MongoServiceSecrets } from './secrets/mongo-service-secrets';
import { SERVICE_SECRET_MODEL, ServiceSecretSchema } from './secrets/service-secret.schema';
import { MongoSigningKeyStore } from './signing-keys/mongo-signing-key-store';
import { SIGNING_KEY_MODEL, SigningKeySchema } from './signing-keys/signing-key.schema';
import { SigningKeyStore } from './signing-keys/signing-key-store';
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
  /** The session timeouts the principal summary is computed with; the service passes its own. */
  readonly sessionTimeouts?: SessionTimeouts;
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
          { name: ACCOUNT_MODEL, schema: AccountSchema },
          { name: THROTTLE_COUNTER_MODEL, schema: ThrottleCounterSchema },
          { name: OUTBOX_ENTRY_MODEL, schema: OutboxEntrySchema },
          { name: DELIVERY_LEASE_MODEL, schema: DeliveryLeaseSchema },
          { name: SIGNING_KEY_MODEL, schema: SigningKeySchema },
          { name: APP_MODEL, schema: AppSchema },
          { name: APP_GENERATION_MODEL, schema: AppGenerationSchema },
          { name: ADMIN_TOKEN_MODEL, schema: AdminTokenSchema },
          { name: AUDIT_EVENT_MODEL, schema: AuditEventSchema },
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
        {
          provide: PRINCIPAL_SUMMARY_TIMEOUTS,
          useValue: options.sessionTimeouts ?? DEFAULT_SUMMARY_TIMEOUTS,
        },
        { provide: PrincipalStore, useClass: MongoPrincipalStore },
        { provide: OnlinePrincipals, useClass: MongoOnlinePrincipals },
        { provide: ServiceSecrets, useClass: MongoServiceSecrets },
        ClaimSweeper,
        { provide: AccountStore, useClass: MongoAccountStore },
        { provide: LoginThrottleStore, useClass: MongoLoginThrottleStore },
        ThrottleSweeper,
        { provide: LogoutOutbox, useClass: MongoLogoutOutbox },
        { provide: SigningKeyStore, useClass: MongoSigningKeyStore },
        { provide: AppStore, useClass: MongoAppStore },
        { provide: AdminTokenStore, useClass: MongoAdminTokenStore },
        { provide: AuditLog, useClass: MongoAuditLog },
      ],
      exports: [
        LogoutOutbox,
        PrincipalStore,
        OnlinePrincipals,
        ServiceSecrets,
        ClaimSweeper,
        AccountStore,
        LoginThrottleStore,
        ThrottleSweeper,
        SigningKeyStore,
        AppStore,
        AdminTokenStore,
        AuditLog,
      ],
    };
  }
}
