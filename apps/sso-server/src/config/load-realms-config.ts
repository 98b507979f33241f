import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ConcurrentSessionPolicies, ConcurrentSessionPolicy } from '@tessera/core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RealmsConfig } from './realms-config';
import { appSettingsProblems } from './app-settings-rules';
import { issuerProblems } from './uri-rules';
import { ConfigurationError, describeValidationErrors } from './validation-messages';

/** Bundled demo realm (apps `shop` and `portal`, secrets published in README): development only. */
export function demoConfigPath(): string {
  // Found by walking up, so it works from the sources (tests) and from the build output alike.
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'config', 'demo.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new ConfigurationError('config/demo.json', ['the bundled demo configuration is missing']);
}

export interface RealmsConfigContext {
  /** Production refuses plain-http URIs even on .test hosts. */
  readonly production: boolean;
  /** Where `clientSecretEnv` names are looked up. */
  readonly env: NodeJS.ProcessEnv;
}

const DEVELOPMENT: RealmsConfigContext = { production: false, env: {} };

export function loadRealmsConfig(
  path: string = demoConfigPath(),
  context: RealmsConfigContext = DEVELOPMENT,
): RealmsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseRealmsConfig(plain, path, context);
}

export function parseRealmsConfig(
  plain: unknown,
  source: string,
  context: RealmsConfigContext = DEVELOPMENT,
): RealmsConfig {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new ConfigurationError(source, ['the top level must be an object with a "realms" array']);
  }
  const config = plainToInstance(RealmsConfig, plain);
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  const problems = describeValidationErrors(errors);
  if (problems.length === 0) problems.push(...crossChecks(config, context));
  if (problems.length > 0) throw new ConfigurationError(source, problems);
  return config;
}

/** Each realm's concurrent-session policy as StartSsoSession reads it; realms without one have no limit. */
export function sessionPoliciesOf(config: RealmsConfig): ConcurrentSessionPolicies {
  const byRealm = new Map<string, ConcurrentSessionPolicy>();
  for (const realm of config.realms) {
    if (realm.sessionPolicy) {
      const { maxSessions, strategy } = realm.sessionPolicy;
      byRealm.set(realm.name, { maxSessions, strategy });
    }
  }
  return (realm) => byRealm.get(realm);
}

function crossChecks(config: RealmsConfig, context: RealmsConfigContext): string[] {
  const problems: string[] = [];
  const realmNames = new Set<string>();
  const clientIds = new Set<string>();
  config.realms.forEach((realm, r) => {
    if (realmNames.has(realm.name))
      problems.push(`realms.${r}.name: realm "${realm.name}" is defined twice`);
    realmNames.add(realm.name);
    realm.apps.forEach((app, a) => {
      const where = `realms.${r}.apps.${a}`;
      if (clientIds.has(app.clientId))
        problems.push(`${where}.clientId: "${app.clientId}" is used twice`);
      clientIds.add(app.clientId);
      for (const problem of appSettingsProblems(app, realm.rootDomain, context.production)) {
        problems.push(`${where}.${problem}`);
      }
    });
    const providerIds = new Set<string>();
    realm.identityProviders.forEach((provider, p) => {
      const where = `realms.${r}.identityProviders.${p}`;
      if (providerIds.has(provider.id))
        problems.push(`${where}.id: "${provider.id}" is used twice`);
      providerIds.add(provider.id);
      for (const problem of issuerProblems(provider.issuer, context.production)) {
        problems.push(`${where}.issuer: ${problem}`);
      }
      if ((provider.clientSecret === undefined) === (provider.clientSecretEnv === undefined)) {
        problems.push(`${where}: give exactly one of clientSecret and clientSecretEnv`);
      } else if (provider.clientSecretEnv && !context.env[provider.clientSecretEnv]) {
        problems.push(
          `${where}.clientSecretEnv: the environment variable ${provider.clientSecretEnv} is not set`,
        );
      }
    });
  });
  return problems;
}
