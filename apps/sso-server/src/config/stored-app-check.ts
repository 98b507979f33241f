import type { RegisteredApp } from '@tessera/core';
import { appSettingsProblems } from './app-settings-rules';
import type { RealmsConfig } from './realms-config';

/** An enabled app whose stored settings today's rules would refuse, and why. */
export interface AppOutOfRules {
  readonly clientId: string;
  readonly problems: readonly string[];
}

/**
 * The enabled apps in the database that break the URI rules as they stand now. An app keeps the
 * settings it was registered with, but the rules can change under it: a realm's root domain
 * edited in the realms file, or a service moved to production, where plain http is refused.
 * Apps of realms no longer in the file are left out: the registry ignores them anyway.
 */
export function appsOutOfRules(
  apps: readonly RegisteredApp[],
  realms: RealmsConfig,
  production: boolean,
): AppOutOfRules[] {
  const rootDomains = new Map(realms.realms.map((realm) => [realm.name, realm.rootDomain]));
  const found: AppOutOfRules[] = [];
  for (const app of apps) {
    const rootDomain = rootDomains.get(app.realm);
    if (!app.enabled || rootDomain === undefined) continue;
    const problems = appSettingsProblems(
      {
        redirectUris: app.redirectUris,
        postLogoutRedirectUris: app.postLogoutRedirectUris,
        backchannelLogoutUri: app.backchannelLogoutUri,
        frontchannelLogoutUri: app.frontchannelLogoutUri,
      },
      rootDomain,
      production,
    );
    if (problems.length > 0) found.push({ clientId: app.clientId, problems });
  }
  return found;
}
