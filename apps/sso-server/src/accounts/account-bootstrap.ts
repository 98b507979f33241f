import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import {
  AccountAlreadyExists,
  AccountStore,
  CreateLocalAccount,
  parseNewAccount,
} from '@tessera/core';
import { RealmsConfig } from '../config/realms-config';
import { loadBootstrapAccounts } from './bootstrap-accounts-file';

/** Where the start-up accounts come from; provided by CoreModule from the service settings. */
export class AccountBootstrapOptions {
  constructor(
    /** TESSERA_BOOTSTRAP_ACCOUNTS, resolved; undefined: nothing to do. */
    readonly file: string | undefined,
    readonly production: boolean,
  ) {}
}

export interface BootstrapOutcome {
  readonly created: string[];
  readonly existing: string[];
}

/**
 * Creates the accounts listed in TESSERA_BOOTSTRAP_ACCOUNTS that do not exist yet, at start-up.
 * It never changes an existing account, so the file can stay in place across restarts and on
 * every instance (instances racing on one name are settled by the unique index).
 */
@Injectable()
export class AccountBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AccountBootstrap');

  constructor(
    private readonly options: AccountBootstrapOptions,
    private readonly realms: RealmsConfig,
    private readonly accounts: AccountStore,
    private readonly createAccount: CreateLocalAccount,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
  }

  async run(): Promise<BootstrapOutcome> {
    const outcome: BootstrapOutcome = { created: [], existing: [] };
    const { file, production } = this.options;
    if (file === undefined) return outcome;
    const entries = loadBootstrapAccounts(file, {
      realms: new Set(this.realms.realms.map((realm) => realm.name)),
      production,
    });
    for (const entry of entries) {
      const { realm, username } = parseNewAccount(entry);
      const name = `"${username}" in realm "${realm}"`;
      // Checked first so that existing accounts cost no password hashing at each start.
      if (await this.accounts.findByUsername(realm, username)) {
        outcome.existing.push(name);
        continue;
      }
      try {
        await this.createAccount.execute(entry);
        outcome.created.push(name);
      } catch (error) {
        if (!(error instanceof AccountAlreadyExists)) throw error;
        outcome.existing.push(name);
      }
    }
    for (const name of outcome.created) this.logger.log(`created account ${name}`);
    if (outcome.existing.length > 0) {
      this.logger.log(
        `${outcome.existing.length} bootstrap account(s) already exist; left unchanged`,
      );
    }
    return outcome;
  }
}
