import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { AttributePolicySpec, Clock, StartSsoSessionCommand } from '@tessera/core';
import { IssueAppSession, StartSsoSession, systemClock } from '@tessera/core';
import * as argon2 from 'argon2';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { AppModule } from '../../apps/sso-server/src/app.module';
import { parseRealmsConfig } from '../../apps/sso-server/src/config/load-realms-config';
import { loadServiceSettings } from '../../apps/sso-server/src/config/service-settings';
import { CLOCK } from '../../apps/sso-server/src/core/injection-tokens';
import { configureApp } from '../../apps/sso-server/src/http/configure-app';
import type { TestDatabase } from './test-database';
import { dropTestDatabase, testDatabase } from './test-database';

export interface TestAppRegistration {
  clientId: string;
  secret: string;
  realm?: string;
  enabled?: boolean;
  attributePolicy?: Partial<AttributePolicySpec>;
  redirectUris?: string[];
  backchannelLogoutUri?: string;
  frontchannelLogoutUri?: string;
  postLogoutRedirectUris?: string[];
}

/** An upstream OpenID provider of a realm (realms file `identityProviders`). */
export interface TestIdentityProvider {
  /** Default `example`. */
  realm?: string;
  id: string;
  displayName?: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
}

export interface TestServiceOptions {
  apps: TestAppRegistration[];
  identityProviders?: TestIdentityProvider[];
  /**
   * Listen on this loopback port instead of a free one (see freeLoopbackPort), for callers that
   * must know the URL before the service starts, such as an upstream provider's redirect URIs.
   * Unless env sets TESSERA_PUBLIC_URL, the public URL is then http://127.0.0.1:<port>.
   */
  port?: number;
  /** Extra TESSERA_* settings, as environment variable strings. */
  env?: Record<string, string>;
  clock?: Clock;
  /** A realm's concurrent-session policy (realms file `sessionPolicy`), by realm name. */
  sessionPolicies?: Record<string, { maxSessions: number; strategy: string }>;
  /** Share a database with another service instance (cluster tests). */
  database?: TestDatabase;
}

export interface TestService {
  url: string;
  database: TestDatabase;
  app: NestExpressApplication;
  /** Signs a principal in the way the login flow will, and returns its SSO session. */
  signIn(
    subject: string,
    overrides?: Partial<StartSsoSessionCommand>,
  ): ReturnType<StartSsoSession['execute']>;
  /** Issues an app session token for `clientId` on a signed-in SSO session. */
  joinApp(session: { principalId: string; sessionId: string }, clientId: string): Promise<string>;
  close(): Promise<void>;
}

// Secrets hashed once per process: argon2 is deliberately slow.
const hashes = new Map<string, Promise<string>>();
const hashOf = (secret: string) => {
  if (!hashes.has(secret)) hashes.set(secret, argon2.hash(secret, { type: argon2.argon2id }));
  return hashes.get(secret)!;
};

/** Boots the real service in-process on a loopback port, on its own test database. */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const database = options.database ?? testDatabase('svc');
  const settings = loadServiceSettings({
    NODE_ENV: 'test',
    TESSERA_DB_NAME: database.dbName,
    ...(options.port === undefined
      ? {}
      : { TESSERA_PUBLIC_URL: `http://127.0.0.1:${options.port}` }),
    ...options.env,
  });
  const realmNames = [
    ...new Set([
      ...options.apps.map((a) => a.realm ?? 'example'),
      ...(options.identityProviders ?? []).map((p) => p.realm ?? 'example'),
    ]),
  ];
  const realms = parseRealmsConfig(
    {
      realms: await Promise.all(
        realmNames.map(async (name) => ({
          name,
          rootDomain: `${name}.test`,
          ...(options.sessionPolicies?.[name]
            ? { sessionPolicy: options.sessionPolicies[name] }
            : {}),
          apps: await Promise.all(
            options.apps
              .filter((a) => (a.realm ?? 'example') === name)
              .map(async (a) => ({
                clientId: a.clientId,
                secretHash: await hashOf(a.secret),
                enabled: a.enabled ?? true,
                redirectUris: a.redirectUris ?? [],
                ...(a.backchannelLogoutUri ? { backchannelLogoutUri: a.backchannelLogoutUri } : {}),
                ...(a.frontchannelLogoutUri
                  ? { frontchannelLogoutUri: a.frontchannelLogoutUri }
                  : {}),
                postLogoutRedirectUris: a.postLogoutRedirectUris ?? [],
                attributePolicy: {
                  defaultScope: 'shared',
                  sharedKeys: [],
                  privateKeys: [],
                  ...a.attributePolicy,
                },
              })),
          ),
          identityProviders: (options.identityProviders ?? [])
            .filter((p) => (p.realm ?? 'example') === name)
            .map((p) => ({
              id: p.id,
              displayName: p.displayName ?? p.id,
              issuer: p.issuer,
              clientId: p.clientId,
              clientSecret: p.clientSecret,
              ...(p.scopes ? { scopes: p.scopes } : {}),
            })),
        })),
      ),
    },
    'test service',
  );

  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ settings, realms, mongodbUri: database.uri })],
  })
    .overrideProvider(CLOCK)
    .useValue(options.clock ?? systemClock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  configureApp(app, settings);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    database,
    app,
    signIn: (subject, overrides = {}) =>
      app.get(StartSsoSession).execute({
        realm: 'example',
        subject,
        profile: { name: subject },
        client: { ip: '127.0.0.1', userAgent: 'jest' },
        ...overrides,
      }),
    joinApp: async (session, clientId) =>
      (await app.get(IssueAppSession).execute({ ...session, clientId })).appSessionToken,
    close: async () => {
      await app.close();
      if (!options.database) await dropTestDatabase(database);
    },
  };
}

/**
 * A loopback port that was free a moment ago, for startTestService's `port` option. Another
 * process could take it in between; on loopback in a test run that is rare enough.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
