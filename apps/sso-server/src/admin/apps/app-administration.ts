import { Inject, Injectable } from '@nestjs/common';
import type { AppChanges, AppListQuery, AppRecord, Clock, RandomSource } from '@tessera/core';
import {
  AppNotFound,
  AppRegistry,
  AppStore,
  CachedAppRegistry,
  DEFAULT_POLICY_SPEC,
  InvalidAppSettings,
  SecretHasher,
  newClientSecret,
} from '@tessera/core';
import { appSettingsProblems } from '../../config/app-settings-rules';
import type { CheckedAppSettings } from '../../config/app-settings-rules';
import { RealmsConfig } from '../../config/realms-config';
import { ServiceSettings } from '../../config/service-settings';
import { CLOCK, RANDOM } from '../../core/injection-tokens';
import type { RegisterAppDto } from './app-requests.dto';

export interface AppWithSecret {
  readonly app: AppRecord;
  /** Shown once to the caller; only its hash is stored. */
  readonly secret: string;
}

/**
 * What the admin API does to apps. Every setting passes the same checks as the realms file at
 * start-up (app-settings-rules.ts) before anything is stored; after a change this instance sees
 * it at once, and the other instances within TESSERA_APP_REFRESH_MS (CachedAppRegistry).
 */
@Injectable()
export class AppAdministration {
  constructor(
    private readonly store: AppStore,
    private readonly registry: AppRegistry,
    private readonly hasher: SecretHasher,
    private readonly realms: RealmsConfig,
    private readonly settings: ServiceSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RANDOM) private readonly random: RandomSource,
  ) {}

  list(query: AppListQuery): Promise<AppRecord[]> {
    return this.store.list(query);
  }

  async get(clientId: string): Promise<AppRecord> {
    const app = await this.store.find(clientId);
    if (!app) throw new AppNotFound(clientId);
    return app;
  }

  async register(input: RegisterAppDto): Promise<AppWithSecret> {
    const settings = {
      enabled: input.enabled ?? true,
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      attributePolicy: input.attributePolicy ?? DEFAULT_POLICY_SPEC,
      ...(input.backchannelLogoutUri ? { backchannelLogoutUri: input.backchannelLogoutUri } : {}),
      ...(input.frontchannelLogoutUri
        ? { frontchannelLogoutUri: input.frontchannelLogoutUri }
        : {}),
    };
    this.check(input.realm, input);
    const secret = newClientSecret(this.random);
    const secretHash = await this.hasher.hash(secret);
    const app = await this.store.register(
      { clientId: input.clientId, realm: input.realm, secretHash, ...settings },
      this.now(),
    );
    this.afterChange();
    return { app, secret };
  }

  async update(
    clientId: string,
    changes: AppChanges,
    expectedVersion?: number,
  ): Promise<AppRecord> {
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new InvalidAppSettings(['the update names no setting to change']);
    }
    this.check((await this.get(clientId)).realm, changes);
    const app = await this.store.change(clientId, changes, expectedVersion, this.now());
    this.afterChange();
    return app;
  }

  async rotateSecret(clientId: string, expectedVersion?: number): Promise<AppWithSecret> {
    await this.get(clientId); // 404 before spending a slow hash
    const secret = newClientSecret(this.random);
    const secretHash = await this.hasher.hash(secret);
    const app = await this.store.change(clientId, { secretHash }, expectedVersion, this.now());
    this.afterChange();
    return { app, secret };
  }

  /** Refuses settings that the realms file would refuse for an app of this realm. */
  private check(realmName: string, settings: CheckedAppSettings): void {
    const realm = this.realms.realms.find((r) => r.name === realmName);
    if (!realm) throw new InvalidAppSettings([`realm: "${realmName}" is not a configured realm`]);
    const problems = appSettingsProblems(settings, realm.rootDomain, this.settings.production);
    if (problems.length > 0) throw new InvalidAppSettings(problems);
  }

  /** This instance's next lookup rereads, so the caller's next request sees its change. */
  private afterChange(): void {
    if (this.registry instanceof CachedAppRegistry) this.registry.invalidate();
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}
