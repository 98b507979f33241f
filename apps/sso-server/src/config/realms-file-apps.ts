import type { AppChanges, AppRecord, AttributePolicySpec, NewApp } from '@tessera/core';
import type { RealmsConfig } from './realms-config';

interface StoredSettings {
  readonly secretHash: string;
  readonly enabled: boolean;
  readonly redirectUris: readonly string[];
  readonly backchannelLogoutUri?: string | null;
  readonly frontchannelLogoutUri?: string | null;
  readonly postLogoutRedirectUris: readonly string[];
  readonly attributePolicy: AttributePolicySpec;
}

/** The apps the realms file lists, as the store takes them. */
export function appsOfRealmsFile(config: RealmsConfig): NewApp[] {
  return config.realms.flatMap((realm) =>
    realm.apps.map((app) => ({
      clientId: app.clientId,
      realm: realm.name,
      ...fileSettingsOf(app),
    })),
  );
}

/** Every setting of a file app, as a change that makes a stored app equal to it. */
function fileSettingsOf(app: StoredSettings) {
  return {
    secretHash: app.secretHash,
    enabled: app.enabled,
    redirectUris: [...app.redirectUris],
    backchannelLogoutUri: app.backchannelLogoutUri ?? undefined,
    frontchannelLogoutUri: app.frontchannelLogoutUri ?? undefined,
    postLogoutRedirectUris: [...app.postLogoutRedirectUris],
    attributePolicy: {
      defaultScope: app.attributePolicy.defaultScope,
      sharedKeys: [...app.attributePolicy.sharedKeys],
      privateKeys: [...app.attributePolicy.privateKeys],
    },
  };
}

/** The change that replaces a stored app's settings by the file's; undefined when they agree. */
export function overwriteOf(stored: AppRecord, app: NewApp): AppChanges | undefined {
  const want = fileSettingsOf(app);
  const have = fileSettingsOf({ ...stored, attributePolicy: stored.policy.spec });
  if (JSON.stringify(have) === JSON.stringify(want)) return undefined;
  return {
    ...want,
    backchannelLogoutUri: want.backchannelLogoutUri ?? null,
    frontchannelLogoutUri: want.frontchannelLogoutUri ?? null,
  };
}
