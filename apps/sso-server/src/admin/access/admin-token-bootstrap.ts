import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { BootstrapAdminToken } from '@tessera/core';
import { ServiceSettings } from '../../config/service-settings';

/** Stores TESSERA_BOOTSTRAP_ADMIN_TOKEN at start-up when it is not there yet (never changes it). */
@Injectable()
export class AdminTokenBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminTokenBootstrap');

  constructor(
    private readonly settings: ServiceSettings,
    private readonly bootstrap: BootstrapAdminToken,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const value = this.settings.admin.bootstrapToken;
    if (value === undefined) return;
    const stored = await this.bootstrap.execute(value);
    this.logger.log(
      stored
        ? 'stored the bootstrap admin token (scope full); unset TESSERA_BOOTSTRAP_ADMIN_TOKEN once you have made your own tokens'
        : 'the bootstrap admin token is already stored; left unchanged',
    );
  }
}
