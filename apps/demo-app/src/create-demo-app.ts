import express from 'express';
import type { LoginClient, LogoutClaims, LogoutClient } from '@tessera/sdk';
import { TesseraClient, tesseraBackchannelLogout, tesseraLogin } from '@tessera/sdk';
import { csrfGuard } from './csrf-guard';
import type { DemoConfig } from './demo-config';
import { errorPages, notFound } from './error-pages';
import { cartRoutes } from './routes/cart-routes';
import { homeRoutes } from './routes/home-routes';
import { logoutRoutes } from './routes/logout-routes';
import { preferenceRoutes } from './routes/preference-routes';
import { publicRoutes } from './routes/public-routes';
import { securityHeaders } from './security-headers';

export const CALLBACK_PATH = '/auth/callback';
/** As registered in the realm's `backchannelLogoutUri` (config/demo.json). */
export const BACKCHANNEL_LOGOUT_PATH = '/auth/backchannel-logout';
/** As registered in the realm's `postLogoutRedirectUris`. */
export const SIGNED_OUT_PATH = '/signed-out';

export interface DemoAppDependencies {
  /** Default: a `TesseraClient` on `config.tesseraInternalUrl` (the caller then cannot close it). */
  readonly client?: LoginClient & LogoutClient;
  readonly log?: (line: string) => void;
  /** Called after the back-channel handler verified a logout token and dropped the session. */
  readonly onBackchannelLogout?: (claims: LogoutClaims) => void;
}

/** The `TesseraClient` options of a demo app: server-to-server calls use the internal URL. */
export function clientOptionsOf(config: DemoConfig) {
  return {
    baseUrl: config.tesseraInternalUrl.href,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
  };
}

/**
 * One demo app of the realm (shop, portal...) as an Express app, built on the SDK alone: every
 * page needs a signed-in user, shows the shared cart and this app's private theme, and changes
 * them through CSRF-protected forms. Tests start it on a loopback port with their own client.
 */
export function createDemoApp(config: DemoConfig, deps: DemoAppDependencies = {}): express.Express {
  const client = deps.client ?? new TesseraClient(clientOptionsOf(config));
  const log = deps.log ?? ((line: string) => console.error(`[${config.name}] ${line}`));
  const login = tesseraLogin({
    client,
    serviceUrl: config.tesseraUrl.href,
    redirectUri: new URL(CALLBACK_PATH, config.publicUrl).href,
    cookieSecret: config.cookieSecret,
    // Named per app, so two demo apps on one host name (localhost) do not share cookies.
    cookie: { name: `tessera_${config.name}`, secure: config.publicUrl.protocol === 'https:' },
    loginCookieName: `tessera_login_${config.name}`,
    onFlushError: (error) => log(`session writes were lost: ${String(error)}`),
    // Logout ends the session at the service, then passes the browser through the service's
    // /logout so its own cookie goes too; the service sends it back to the signed-out page.
    postLogoutRedirectUri: new URL(SIGNED_OUT_PATH, config.publicUrl).href,
  });
  const backchannelLogout = tesseraBackchannelLogout({
    client,
    serviceUrl: config.tesseraUrl.href,
    // The keys are fetched server to server, like every other call to the service.
    jwksUrl: `${config.tesseraInternalUrl.href.replace(/\/+$/, '')}/.well-known/jwks.json`,
    onLogout: (claims) => {
      log(`back-channel logout of session ${claims.sid ?? claims.sub}`);
      deps.onBackchannelLogout?.(claims);
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders(config.tesseraUrl.origin));
  app.use(publicRoutes(config));
  // Before the login requirement and the CSRF check: the service calls it, with no session.
  app.post(BACKCHANNEL_LOGOUT_PATH, backchannelLogout);
  app.use(login.session, login.routes, login.requireLogin);
  app.use(homeRoutes(config));
  app.use(
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    csrfGuard(config),
    cartRoutes(config),
    preferenceRoutes(config),
    logoutRoutes(login),
  );
  app.use(notFound(config));
  app.use(errorPages(config, log));
  return app;
}
