import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { AdminAccountsModule } from './admin/accounts/admin-accounts.module';
import { OpenApiModule } from './admin/openapi/openapi.module';
import { AdminAppsModule } from './admin/apps/admin-apps.module';
import { AdminAccessModule } from './admin/access/admin-access.module';
import { AdminAuditModule } from './admin/audit/admin-audit.module';
import { AdminTokensModule } from './admin/tokens/admin-tokens.module';
import type { RealmsConfig } from './config/realms-config';
import type { ServiceSettings } from './config/service-settings';
import { CoreModule } from './core/core.module';
import { AdminSessionsModule } from './admin/sessions/admin-sessions.module';
import { AdminStatisticsModule } from './admin/statistics/admin-statistics.module';
import { HealthController } from './health/health.controller';
import { AccessGuard } from './http/access.guard';
import { ErrorFilter } from './http/error-filter';
import { LogoutDeliveryModule } from './logout/logout-delivery.module';
import { LoginPageModule } from './login-page/login-page.module';
import { LogoutPageModule } from './logout-page/logout-page.module';
import { OAuthModule } from './oauth/oauth.module';
import { AssetsController } from './pages/assets.controller';
import { SessionApiModule } from './session-api/session-api.module';
import { SweeperModule } from './sweeper/sweeper.module';
import { SigningModule } from './signing/signing.module';
import { UpstreamLoginModule } from './upstream/upstream-login.module';

export interface AppModuleOptions {
  readonly settings: ServiceSettings;
  readonly realms: RealmsConfig;
  /** The database to use; main.ts starts the embedded one when MONGODB_URI is not set. */
  readonly mongodbUri: string;
}

@Module({})
export class AppModule {
  static forRoot({ settings, realms, mongodbUri }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MongooseModule.forRoot(mongodbUri, { dbName: settings.mongodb.dbName }),
        CoreModule.forRoot(settings, realms),
        SigningModule,
        LogoutDeliveryModule,
        SessionApiModule,
        OAuthModule,
        UpstreamLoginModule,
        LoginPageModule,
        LogoutPageModule,
        SweeperModule,
        AdminAccountsModule,
        OpenApiModule,
        AdminAccessModule,
        AdminTokensModule,
        AdminAuditModule,
        AdminAppsModule,
        AdminSessionsModule,
        AdminStatisticsModule,
      ],
      controllers: [HealthController, AssetsController],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
