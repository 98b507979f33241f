import type { RegisteredApp } from '@tessera/core';
import { AppRegistry, AttributePolicy } from '@tessera/core';
import type { RealmsConfig } from './realms-config';

/** Registered apps read from the realms file at start-up. */
export class ConfigAppRegistry extends AppRegistry {
  private readonly apps = new Map<string, RegisteredApp>();

  constructor(config: RealmsConfig) {
    super();
    for (const realm of config.realms) {
      for (const app of realm.apps) {
        this.apps.set(app.clientId, {
          clientId: app.clientId,
          realm: realm.name,
          secretHash: app.secretHash,
          enabled: app.enabled,
          policy: new AttributePolicy({ ...app.attributePolicy }),
          redirectUris: app.redirectUris,
          backchannelLogoutUri: app.backchannelLogoutUri,
          frontchannelLogoutUri: app.frontchannelLogoutUri,
          postLogoutRedirectUris: app.postLogoutRedirectUris,
        });
      }
    }
  }

  findByClientId(clientId: string): Promise<RegisteredApp | undefined> {
    return Promise.resolve(this.apps.get(clientId));
  }
}
