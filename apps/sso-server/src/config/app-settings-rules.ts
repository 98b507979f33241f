import type { AttributePolicySpec } from '@tessera/core';
import { policySpecProblems } from '@tessera/core';
import { appUriProblems } from './uri-rules';

/** The settings of an app that the rules below look at; absent (or null) ones are not checked. */
export interface CheckedAppSettings {
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string | null;
  readonly frontchannelLogoutUri?: string | null;
  readonly attributePolicy?: AttributePolicySpec;
}

/**
 * The checks of an app's settings that need its realm: every URI on the realm's root domain, in
 * canonical form, https (plain http only on development hosts outside production), and an
 * attribute policy without contradictions. The realms file at start-up and the admin API both
 * run exactly these. Each problem starts with the field it is about.
 */
export function appSettingsProblems(
  app: CheckedAppSettings,
  rootDomain: string,
  production: boolean,
): string[] {
  const problems: string[] = [];
  const uris: [string, readonly string[]][] = [
    ['redirectUris', app.redirectUris ?? []],
    ['postLogoutRedirectUris', app.postLogoutRedirectUris ?? []],
    ['backchannelLogoutUri', listOf(app.backchannelLogoutUri)],
    ['frontchannelLogoutUri', listOf(app.frontchannelLogoutUri)],
  ];
  for (const [field, list] of uris) {
    for (const uri of list) {
      for (const problem of appUriProblems(uri, rootDomain, production)) {
        problems.push(`${field}: ${problem}`);
      }
    }
  }
  if (app.attributePolicy) {
    for (const problem of policySpecProblems(app.attributePolicy)) {
      problems.push(`attributePolicy: ${problem}`);
    }
  }
  return problems;
}

/** An empty string is checked (and refused) like any other value; only absence is skipped. */
function listOf(uri: string | null | undefined): string[] {
  return uri === undefined || uri === null ? [] : [uri];
}
