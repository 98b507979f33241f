import { CreateLocalAccount, localSubject } from '@tessera/core';
import type { LogoutClaims } from '@tessera/sdk';
import { TesseraClient } from '@tessera/sdk';
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  BACKCHANNEL_LOGOUT_PATH,
  SIGNED_OUT_PATH,
  clientOptionsOf,
  createDemoApp,
} from '../../../apps/demo-app/src/create-demo-app';
import { readDemoConfig } from '../../../apps/demo-app/src/demo-config';
import type { TestAccount } from '../../support/oidc-provider/start-oidc-provider';
import { startOidcProvider } from '../../support/oidc-provider/start-oidc-provider';
import type { TestService } from '../../support/tessera-service';
import { freeLoopbackPort, startTestService } from '../../support/tessera-service';
import { MAPPED_DOMAIN } from './chromium';
import { mapRealmNamesToLoopback } from '../../support/loopback-names';

/** The upstream provider of the stack, as the login page lists it and its form expects. */
export interface StackProvider {
  readonly id: string;
  readonly displayName: string;
  /** http://127.0.0.1:<port>: the provider keeps its loopback issuer, which the browser reaches as is. */
  readonly issuer: string;
  readonly account: Required<Pick<TestAccount, 'sub' | 'name' | 'password'>>;
}

export interface StackAccount {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  /** `local:<account id>`: what the apps show. */
  readonly subject: string;
}

export interface SsoStackOptions {
  /**
   * Back-channel logout to the demo apps: each app's `backchannelLogoutUri` is registered (its
   * real port, under its public name, which undici's global dispatcher then resolves to loopback
   * in this process), the dispatcher polls every 50 ms and retries quickly, and every logout token
   * an app's handler verified is recorded in `backchannelLogouts`. Off by default: the other
   * suites end no session and need no change to the process's global dispatcher.
   */
  readonly backchannelLogout?: boolean;
}

/** A logout token that a demo app's back-channel handler verified and acted on. */
export interface ReceivedLogout {
  readonly app: 'shop' | 'portal';
  readonly claims: LogoutClaims;
  /** When the handler had verified it, ms since the epoch. */
  readonly at: number;
}

/** Short dispatcher intervals, so a delivery arrives (or is retried) within a second. */
const FAST_LOGOUT_DELIVERY = {
  TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: '50',
  TESSERA_LOGOUT_BACKOFF_BASE_MS: '100',
  TESSERA_LOGOUT_BACKOFF_CAP_MS: '400',
  TESSERA_LOGOUT_REQUEST_TIMEOUT_MS: '1000',
  TESSERA_LOGOUT_LEASE_MS: '2000',
};

/** The service, an upstream OpenID provider and the two demo apps, all on loopback. */
export interface SsoStack {
  /** Public origins, as the browser (with its host map) and the realms file name them. */
  readonly sso: string;
  readonly shop: string;
  readonly portal: string;
  readonly service: TestService;
  readonly provider: StackProvider;
  readonly account: StackAccount;
  /** Every request the service answered, as `GET /login 200` (path without query). */
  readonly serviceRequests: string[];
  /** Lines the demo apps logged (lost session writes, unexpected errors). */
  readonly appLog: string[];
  /** With `backchannelLogout`: the logout tokens the apps verified, in arrival order. */
  readonly backchannelLogouts: ReceivedLogout[];
  /** Stops everything that started; safe to call after a failed start. */
  close(): Promise<void>;
}

const APP_SECRETS = { shop: 'shop-browser-secret', portal: 'portal-browser-secret' } as const;
const PROVIDER_SECRET = 'upstream-browser-secret';

/**
 * Starts the whole realm for a browser suite. Each part that starts registers its own stop
 * first, so a failure halfway (a port taken, the provider slow) still stops the parts before it,
 * and the caller's afterAll stops the rest.
 */
export async function startSsoStack(options: SsoStackOptions = {}): Promise<SsoStack> {
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    const failures: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'the SSO stack did not stop');
  };
  try {
    return await start(stops, close, options);
  } catch (error) {
    await close().catch(() => undefined); // the start failure is the one worth reporting
    throw error;
  }
}

async function start(
  stops: (() => Promise<void>)[],
  close: () => Promise<void>,
  options: SsoStackOptions,
): Promise<SsoStack> {
  const [ssoPort, shopPort, portalPort] = [
    await freeLoopbackPort(),
    await freeLoopbackPort(),
    await freeLoopbackPort(),
  ];
  const sso = `http://sso.${MAPPED_DOMAIN}:${ssoPort}`;
  const shop = `http://shop.${MAPPED_DOMAIN}:${shopPort}`;
  const portal = `http://portal.${MAPPED_DOMAIN}:${portalPort}`;

  // The provider first: the service reads its discovery document when it starts.
  const providerId = 'example-idp';
  const providerAccount = { sub: 'alice-7', name: 'Alice Example', password: 'provider-pass' };
  const running = await startOidcProvider({
    client: {
      clientId: 'tessera',
      clientSecret: PROVIDER_SECRET,
      redirectUris: [`${sso}/login/upstream/example/${providerId}/callback`],
    },
    account: providerAccount,
  });
  stops.push(() => running.stop());
  const provider: StackProvider = {
    id: providerId,
    displayName: 'Example IdP',
    issuer: running.issuer,
    account: providerAccount,
  };

  if (options.backchannelLogout) {
    // Pushed before the service, so undone after it: its dispatcher has stopped by then.
    const unmap = mapRealmNamesToLoopback();
    stops.push(unmap);
  }
  const logoutUris = (origin: string) => ({
    // As in config/demo.json: the demo app's logout returns through the service to this page.
    postLogoutRedirectUris: [`${origin}${SIGNED_OUT_PATH}`],
    ...(options.backchannelLogout
      ? { backchannelLogoutUri: `${origin}${BACKCHANNEL_LOGOUT_PATH}` }
      : {}),
  });

  // The demo realm's policy: the theme and each app's CSRF token are private, the rest shared.
  const attributePolicy = { privateKeys: ['csrf', 'pref*'] };
  const service = await startTestService({
    port: ssoPort,
    env: {
      TESSERA_PUBLIC_URL: sso,
      ...(options.backchannelLogout ? FAST_LOGOUT_DELIVERY : {}),
    },
    apps: [
      {
        clientId: 'shop',
        secret: APP_SECRETS.shop,
        redirectUris: [`${shop}/auth/callback`],
        ...logoutUris(shop),
        attributePolicy,
      },
      {
        clientId: 'portal',
        secret: APP_SECRETS.portal,
        redirectUris: [`${portal}/auth/callback`],
        ...logoutUris(portal),
        attributePolicy,
      },
    ],
    identityProviders: [
      {
        id: provider.id,
        displayName: provider.displayName,
        issuer: provider.issuer,
        clientId: 'tessera',
        clientSecret: PROVIDER_SECRET,
        scopes: ['openid', 'profile'],
      },
    ],
  });
  stops.push(() => service.close());
  const serviceRequests: string[] = [];
  service.app.getHttpServer().on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () =>
      serviceRequests.push(`${req.method} ${req.url?.split('?')[0]} ${res.statusCode}`),
    );
  });

  const credentials = { username: 'ada', password: 'correct-horse-battery', name: 'Ada Lovelace' };
  const created = await service.app.get(CreateLocalAccount).execute({
    realm: 'example',
    ...credentials,
  });
  const account: StackAccount = { ...credentials, subject: localSubject(created) };

  const appLog: string[] = [];
  const backchannelLogouts: ReceivedLogout[] = [];
  const demo = (name: 'shop' | 'portal', port: number, publicUrl: string, peer: string) =>
    startDemoApp(stops, appLog, backchannelLogouts, name, port, {
      DEMO_PUBLIC_URL: publicUrl,
      // The browser meets the service at its public name; the app's backend calls it directly.
      TESSERA_URL: sso,
      TESSERA_INTERNAL_URL: service.url,
      DEMO_CLIENT_SECRET: APP_SECRETS[name],
      DEMO_COOKIE_SECRET: `${name}-cookie-secret-for-browser-tests`,
      DEMO_PEERS: peer,
    });
  await demo('shop', shopPort, shop, `portal=${portal}`);
  await demo('portal', portalPort, portal, `shop=${shop}`);

  return {
    sso,
    shop,
    portal,
    service,
    provider,
    account,
    serviceRequests,
    appLog,
    backchannelLogouts,
    close,
  };
}

async function startDemoApp(
  stops: (() => Promise<void>)[],
  appLog: string[],
  backchannelLogouts: ReceivedLogout[],
  name: 'shop' | 'portal',
  port: number,
  env: Record<string, string>,
): Promise<void> {
  const { config } = readDemoConfig(env, name);
  // Our own client, so the suite can close its connection pool (the default one cannot be).
  const client = new TesseraClient(clientOptionsOf(config));
  stops.push(() => client.close());
  const server: Server = createDemoApp(config, {
    client,
    log: (line) => appLog.push(`[${name}] ${line}`),
    onBackchannelLogout: (claims) => backchannelLogouts.push({ app: name, claims, at: Date.now() }),
  }).listen(port, '127.0.0.1');
  stops.push(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    // Chromium keeps connections alive; they must not hold the close open.
    server.closeAllConnections();
    await closed;
  });
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
}
