import type { INestApplicationContext } from '@nestjs/common';
import type * as NestCore from '@nestjs/core';
import type * as Core from '@tessera/core';
import { TesseraClient } from '@tessera/sdk';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as AppModuleFile from '../../apps/sso-server/src/app.module';
import type * as RealmsFile from '../../apps/sso-server/src/config/load-realms-config';
import type * as SettingsFile from '../../apps/sso-server/src/config/service-settings';
import { benchAttributes, benchUser } from './app-process';

/** Where `nest build sso-server` puts the service, with the same layout as the sources. */
export const distRoot = join(__dirname, '..', '..', 'dist', 'apps', 'sso-server');
export const serviceMain = join(distRoot, 'apps', 'sso-server', 'src', 'main.js');

/**
 * `require` from the build output, not the sources: Nest's dependency injection needs the
 * decorator metadata that tsc emits and tsx does not.
 */
export const requireBuilt = createRequire(__filename);
export const fromDist = <T>(path: string): T => requireBuilt(join(distRoot, path)) as T;

export interface TesseraSessionsOptions {
  mongodbUri: string;
  dbName: string;
  serviceUrl: string;
  count: number;
}

/**
 * Signs `count` users in and returns one `shop` app session token each, with the bench attributes
 * set. Signing in over HTTP takes a browser and an identity provider, so this does what the e2e
 * tests do: it builds the service's own module as an application context on the same database
 * and calls the use cases StartSsoSession and IssueAppSession (no HTTP server, and no back door
 * in the running service).
 *
 * The module is loaded from the build output, not the sources: Nest's dependency injection needs
 * the decorator metadata that tsc emits and tsx does not. The attributes are then written through
 * the SDK's public PATCH, as an app would.
 */
export async function openTesseraSessions(options: TesseraSessionsOptions): Promise<string[]> {
  const { NestFactory } = requireBuilt('@nestjs/core') as typeof NestCore;
  const { AppModule } = fromDist<typeof AppModuleFile>('apps/sso-server/src/app.module');
  const { loadServiceSettings } = fromDist<typeof SettingsFile>(
    'apps/sso-server/src/config/service-settings',
  );
  const { loadRealmsConfig } = fromDist<typeof RealmsFile>(
    'apps/sso-server/src/config/load-realms-config',
  );
  const { IssueAppSession, StartSsoSession } = fromDist<typeof Core>('libs/core/src');

  const settings = loadServiceSettings({
    MONGODB_URI: options.mongodbUri,
    TESSERA_DB_NAME: options.dbName,
  });
  const context: INestApplicationContext = await NestFactory.createApplicationContext(
    AppModule.forRoot({ settings, realms: loadRealmsConfig(), mongodbUri: options.mongodbUri }),
    { logger: ['error', 'warn'] },
  );
  const client = new TesseraClient({
    baseUrl: options.serviceUrl,
    clientId: 'shop',
    clientSecret: 'shop-demo-secret',
  });
  try {
    const start = context.get(StartSsoSession);
    const issue = context.get(IssueAppSession);
    return await mapInBatches(options.count, async (i) => {
      const user = benchUser(i);
      const { principalId, sessionId } = await start.execute({
        realm: user.realm,
        subject: user.subject,
        profile: user.profile,
        client: { ip: '127.0.0.1', userAgent: 'tessera-bench' },
      });
      const { appSessionToken } = await issue.execute({ principalId, sessionId, clientId: 'shop' });
      const time = Date.now();
      await client.patchSession(
        appSessionToken,
        Object.entries(benchAttributes).map(([key, value]) => ({ op: 'set', key, value, time })),
      );
      return appSessionToken;
    });
  } finally {
    await client.close();
    await context.close();
  }
}

/** Runs `task(0..count-1)` a few at a time, keeping the order of the results. */
export async function mapInBatches<T>(
  count: number,
  task: (i: number) => Promise<T>,
  parallel = 8,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}
