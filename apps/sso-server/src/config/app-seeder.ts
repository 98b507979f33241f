import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import { AppRegistry, AppStore, CachedAppRegistry } from '@tessera/core';
import { CLOCK } from '../core/injection-tokens';
import { RealmsConfig } from './realms-config';
import { appsOfRealmsFile, overwriteOf } from './realms-file-apps';
import { ServiceSettings } from './service-settings';
import { appsOutOfRules } from './stored-app-check';

export interface SeedOutcome {
  readonly inserted: string[];
  readonly overwritten: string[];
}

/**
 * Puts the realms file's apps into the database at start-up, before the service answers.
 * By default (`TESSERA_APP_SEED=insert`) only apps the database lacks are inserted, so changes
 * made through the admin API survive restarts; `overwrite` makes the file's definition of each
 * of its apps win. Several instances starting at once are safe: each insert is by unique `_id`,
 * and an overwrite is a compare-and-set that changes nothing once the app matches the file.
 */
@Injectable()
export class AppSeeder implements OnModuleInit {
  private readonly logger = new Logger('AppSeeder');

  constructor(
    private readonly realms: RealmsConfig,
    private readonly store: AppStore,
    private readonly registry: AppRegistry,
    private readonly settings: ServiceSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const { inserted, overwritten } = await this.run();
    if (inserted.length > 0)
      this.logger.log(`apps added from the realms file: ${inserted.join(', ')}`);
    if (overwritten.length > 0) {
      this.logger.log(`apps reset to the realms file: ${overwritten.join(', ')}`);
    }
    const stored = await this.store.loadAll();
    for (const { clientId, problems } of appsOutOfRules(
      stored,
      this.realms,
      this.settings.production,
    )) {
      this.logger.warn(
        `app "${clientId}" breaks today's rules (${problems.join('; ')}); fix it with PATCH /admin/v1/apps/${clientId} or disable it`,
      );
    }
  }

  async run(): Promise<SeedOutcome> {
    const apps = appsOfRealmsFile(this.realms);
    const at = new Date(this.clock.now());
    const inserted = await this.store.insertMissing(apps, at);
    const overwritten: string[] = [];
    if (this.settings.apps.seed === 'overwrite') {
      for (const app of apps.filter((a) => !inserted.includes(a.clientId))) {
        const stored = await this.store.find(app.clientId);
        if (!stored) continue;
        if (stored.realm !== app.realm) {
          this.logger.warn(
            `app "${app.clientId}" is stored in realm "${stored.realm}", not "${app.realm}" as the file says; an app never changes realm, so it is left as it is`,
          );
          continue;
        }
        const changes = overwriteOf(stored, app);
        if (!changes) continue;
        await this.store.change(app.clientId, changes, undefined, at);
        overwritten.push(app.clientId);
      }
    }
    if (this.registry instanceof CachedAppRegistry) this.registry.invalidate();
    return { inserted, overwritten };
  }
}
