import type { DynamicModule, Provider } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import type { Clock, RandomSource } from '@tessera/core';
import {
  AccountStore,
  AdminTokenStore,
  AuditLog,
  AuditLoginEvents,
  AuditTrail,
  AppRegistry,
  AppStore,
  CachedAppRegistry,
  BootstrapAdminToken,
  CreateAdminToken,
  ListAdminTokens,
  RevokeAdminToken,
  VerifyAdminToken,
  AuthenticateClient,
  CompleteEndedSessions,
  CreateLocalAccount,
  EndSsoSession,
  LogOutAppSession,
  LogoutDeliveryTrigger,
  LogoutOutbox,
  DEFAULT_LOGIN_THROTTLE,
  LoginEventSink,
  LoginThrottleStore,
  SignInWithPassword,
  IssueAppSession,
  IssueAuthorizationCode,
  PrincipalStore,
  ReadAppSession,
  RedeemAuthorizationCode,
  ResolveSsoSession,
  SecretHasher,
  StartSsoSession,
  SweepExpiredSessions,
  WriteSessionAttributes,
  cryptoRandom,
  systemClock,
} from '@tessera/core';
import { PersistenceModule } from '@tessera/persistence';
import { AccountBootstrap, AccountBootstrapOptions } from '../accounts/account-bootstrap';
import { AppSeeder } from '../config/app-seeder';
import { sessionPoliciesOf } from '../config/load-realms-config';
import { RealmsConfig } from '../config/realms-config';
import { ServiceSettings } from '../config/service-settings';
import { Argon2SecretHasher } from '../security/argon2-secret-hasher';
import { CLOCK, RANDOM } from './injection-tokens';

type Deps = [PrincipalStore, Clock, RandomSource, ServiceSettings];
const deps = [PrincipalStore, CLOCK, RANDOM, ServiceSettings];

/** The framework-free use cases of libs/core, wired to their adapters. */
const useCases: Provider[] = [
  {
    provide: StartSsoSession,
    inject: [...deps, CompleteEndedSessions, RealmsConfig],
    useFactory: (
      ...[store, clock, random, s, complete, realms]: [...Deps, CompleteEndedSessions, RealmsConfig]
    ) => new StartSsoSession(store, complete, clock, random, s.session, sessionPoliciesOf(realms)),
  },
  {
    provide: SweepExpiredSessions,
    inject: [PrincipalStore, CompleteEndedSessions, CLOCK, ServiceSettings],
    useFactory: (
      store: PrincipalStore,
      complete: CompleteEndedSessions,
      clock: Clock,
      s: ServiceSettings,
    ) => new SweepExpiredSessions(store, complete, clock, s.session),
  },
  {
    provide: IssueAppSession,
    inject: [...deps, AppRegistry],
    useFactory: (...[store, clock, random, s, apps]: [...Deps, AppRegistry]) =>
      new IssueAppSession(store, apps, clock, random, s.session),
  },
  {
    provide: ReadAppSession,
    inject: deps,
    useFactory: (...[store, clock, , s]: Deps) => new ReadAppSession(store, clock, s.session),
  },
  {
    provide: WriteSessionAttributes,
    inject: deps,
    useFactory: (...[store, clock, , s]: Deps) =>
      new WriteSessionAttributes(store, clock, s.session),
  },
  {
    provide: ResolveSsoSession,
    inject: deps,
    useFactory: (...[store, clock, , s]: Deps) => new ResolveSsoSession(store, clock, s.session),
  },
  {
    provide: IssueAuthorizationCode,
    inject: deps,
    useFactory: (...[store, clock, random, s]: Deps) =>
      new IssueAuthorizationCode(store, clock, random, s.session),
  },
  {
    provide: RedeemAuthorizationCode,
    inject: deps,
    useFactory: (...[store, clock, random, s]: Deps) =>
      new RedeemAuthorizationCode(store, clock, random, s.session),
  },
  {
    provide: CompleteEndedSessions,
    inject: [
      PrincipalStore,
      AppRegistry,
      LogoutOutbox,
      ServiceSettings,
      LogoutDeliveryTrigger,
      AuditTrail,
    ],
    useFactory: (
      store: PrincipalStore,
      apps: AppRegistry,
      outbox: LogoutOutbox,
      s: ServiceSettings,
      trigger: LogoutDeliveryTrigger,
      audit: AuditTrail,
    ) => new CompleteEndedSessions(store, apps, outbox, s.session, trigger, audit),
  },
  {
    provide: EndSsoSession,
    inject: [PrincipalStore, CompleteEndedSessions, CLOCK, ServiceSettings],
    useFactory: (
      store: PrincipalStore,
      complete: CompleteEndedSessions,
      clock: Clock,
      s: ServiceSettings,
    ) => new EndSsoSession(store, complete, clock, s.session),
  },
  {
    provide: LogOutAppSession,
    inject: [PrincipalStore, EndSsoSession, CLOCK, ServiceSettings],
    useFactory: (store: PrincipalStore, end: EndSsoSession, clock: Clock, s: ServiceSettings) =>
      new LogOutAppSession(store, end, clock, s.session),
  },
  {
    provide: CreateLocalAccount,
    inject: [AccountStore, SecretHasher, CLOCK, RANDOM],
    useFactory: (
      accounts: AccountStore,
      hasher: SecretHasher,
      clock: Clock,
      random: RandomSource,
    ) => new CreateLocalAccount(accounts, hasher, clock, random),
  },
  {
    provide: SignInWithPassword,
    inject: [AccountStore, LoginThrottleStore, SecretHasher, CLOCK, LoginEventSink],
    useFactory: (
      accounts: AccountStore,
      throttle: LoginThrottleStore,
      hasher: SecretHasher,
      clock: Clock,
      events: LoginEventSink,
    ) => new SignInWithPassword(accounts, throttle, hasher, clock, DEFAULT_LOGIN_THROTTLE, events),
  },
  {
    provide: AuthenticateClient,
    inject: [AppRegistry, SecretHasher, CLOCK, ServiceSettings],
    useFactory: (apps: AppRegistry, hasher: SecretHasher, clock: Clock, s: ServiceSettings) =>
      new AuthenticateClient(apps, hasher, clock, s.clientAuthCache),
  },
  {
    provide: CreateAdminToken,
    inject: [AdminTokenStore, CLOCK, RANDOM],
    useFactory: (store: AdminTokenStore, clock: Clock, random: RandomSource) =>
      new CreateAdminToken(store, clock, random),
  },
  {
    provide: VerifyAdminToken,
    inject: [AdminTokenStore, CLOCK],
    useFactory: (store: AdminTokenStore, clock: Clock) => new VerifyAdminToken(store, clock),
  },
  {
    provide: RevokeAdminToken,
    inject: [AdminTokenStore, CLOCK],
    useFactory: (store: AdminTokenStore, clock: Clock) => new RevokeAdminToken(store, clock),
  },
  {
    provide: ListAdminTokens,
    inject: [AdminTokenStore],
    useFactory: (store: AdminTokenStore) => new ListAdminTokens(store),
  },
  {
    provide: AuditTrail,
    inject: [AuditLog, CLOCK, RANDOM],
    useFactory: (log: AuditLog, clock: Clock, random: RandomSource) =>
      new AuditTrail(log, clock, random),
  },
  {
    provide: LoginEventSink,
    inject: [AuditTrail],
    useFactory: (trail: AuditTrail) => new AuditLoginEvents(trail),
  },
  {
    provide: BootstrapAdminToken,
    inject: [AdminTokenStore, CLOCK],
    useFactory: (store: AdminTokenStore, clock: Clock) => new BootstrapAdminToken(store, clock),
  },
];

@Global()
@Module({})
export class CoreModule {
  static forRoot(settings: ServiceSettings, realms: RealmsConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: ServiceSettings, useValue: settings },
      { provide: RealmsConfig, useValue: realms },
      { provide: CLOCK, useValue: systemClock },
      { provide: RANDOM, useValue: cryptoRandom },
      { provide: SecretHasher, useClass: Argon2SecretHasher },
      {
        provide: AppRegistry,
        inject: [AppStore],
        useFactory: (store: AppStore) =>
          new CachedAppRegistry(store, {
            refreshMs: settings.apps.refreshMs,
            knownRealms: new Set(realms.realms.map((realm) => realm.name)),
          }),
      },
      AppSeeder,
      {
        provide: AccountBootstrapOptions,
        useValue: new AccountBootstrapOptions(settings.accounts.bootstrapFile, settings.production),
      },
      AccountBootstrap,
      ...useCases,
    ];
    const persistence = PersistenceModule.forRoot({
      writeClaims: settings.mongodb.writeClaims,
      sessionTimeouts: settings.session.timeouts,
    });
    return {
      module: CoreModule,
      imports: [persistence],
      providers,
      // Re-exported, so every module can inject the persistence ports (ServiceSecrets, ...).
      exports: [...providers.map((p) => (typeof p === 'function' ? p : p.provide)), persistence],
    };
  }
}
