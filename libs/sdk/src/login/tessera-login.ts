import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CodeExchange, SessionSource } from '../client';
import type { CookieOptions } from '../cookie';
import { DEFAULT_COOKIE_NAME, readCookie, serializeCookie } from '../cookie';
import { InvalidGrantError } from '../errors';
import type { TesseraSessionOptions } from '../express';
import { sessionLoaded, tesseraSession } from '../express';
import type { ExchangedSession } from '../token-response';
import { appLogout } from './app-logout';
import { authorizeUrl } from './authorize-url';
import { checkCallback } from './callback-checks';
import { LoginError } from './login-error';
import { sendLoginErrorPage } from './login-error-page';
import { checkedLoginOptions } from './login-options';
import { PendingLoginCookie, appendSetCookie } from './pending-login-cookie';
import { signPendingLogin, verifyPendingLogin } from './pending-login';
import { createPkcePair, randomUrlToken } from './pkce';
import { isPageNavigation } from './request-kind';
import { safeReturnTo } from './return-to';

/** What the login needs from a client: usually a `TesseraClient`; tests may stub it. */
export interface LoginClient extends SessionSource {
  readonly clientId: string;
  exchangeCode(exchange: CodeExchange): Promise<ExchangedSession>;
  forget(token: string): void;
  /** Ends the SSO session at the service (`DELETE /api/v1/session`); used by `logout`. */
  endSession(token: string): Promise<void>;
}

export type LoginErrorHandler = (
  error: LoginError,
  req: Request,
  res: Response,
  next: NextFunction,
) => void;

export interface TesseraLoginOptions extends Omit<TesseraSessionOptions, 'client' | 'tokenFrom'> {
  readonly client: LoginClient;
  /** Where browsers reach the service, e.g. `https://sso.example.com` (the client may use another URL). */
  readonly serviceUrl: string;
  /** This app's callback, exactly as registered, e.g. `https://shop.example.com/auth/callback`. */
  readonly redirectUri: string;
  /** At least 32 bytes; signs the pending-login cookies. Every instance of the app needs the same. */
  readonly cookieSecret: string | Buffer;
  /** The app session cookie: default `tessera_app`, HttpOnly, Secure, SameSite=Lax. */
  readonly cookie?: CookieOptions;
  /** Prefix of the pending-login cookies (one per login in progress). Default `tessera_login`. */
  readonly loginCookieName?: string;
  /** A GET route that starts a login, `?return_to=/path` (for a "Sign in" link). Default `/auth/login`. */
  readonly loginPath?: string;
  /** How long a started login may take. Default 600 s. */
  readonly loginTtlSeconds?: number;
  /** The `iss` the service puts in its answers. Default: the origin of `serviceUrl`. */
  readonly issuer?: string;
  /** A login that came back without a session. Default: a small page with a "Sign in" link. */
  readonly onLoginError?: LoginErrorHandler;
  /**
   * A post-logout URI registered for this app. Set: `logout` then sends the browser to the
   * service's `/logout` (front channel, which also drops the service's own cookie), and the
   * service sends it here. Unset: `logout` redirects to `logoutReturnPath`.
   */
  readonly postLogoutRedirectUri?: string;
  /** Where `logout` sends the browser without `postLogoutRedirectUri`. Default `/`. */
  readonly logoutReturnPath?: string;
}

export interface StartLoginOptions {
  /** Where to come back to; checked to be a path of this app, else `/`. Default `/`. */
  readonly returnTo?: string;
  /** `none` to ask the service silently (an error `login_required` comes back if nobody is signed in). */
  readonly prompt?: 'none' | 'login';
  readonly loginHint?: string;
}

export interface TesseraLogin {
  /** The session middleware, with the same cookie (`requireLogin` runs it if it has not run). */
  readonly session: RequestHandler;
  /** Serves GET of the callback path (from `redirectUri`) and of `loginPath`; passes the rest on. */
  readonly routes: RequestHandler;
  /** Lets signed-in requests through; sends a page request to the login, answers others 401 JSON. */
  readonly requireLogin: RequestHandler;
  /** The callback alone, for apps that mount routes themselves. */
  readonly callback: RequestHandler;
  /** The login start alone (`?return_to=`), for apps that mount routes themselves. */
  readonly login: RequestHandler;
  /** Redirects the browser to the service to sign in. */
  startLogin(req: Request, res: Response, options?: StartLoginOptions): void;
  /** Forgets this browser's app session here: clears the cookie and the cached copy. */
  endAppSession(req: Request, res: Response): void;
  /**
   * Single logout without a redirect: clears the cookie and the cached copy, then ends the SSO
   * session at the service, so every app's token for it stops working. Rejects if the service
   * could not be told (the local state is gone all the same).
   */
  endSession(req: Request, res: Response): Promise<void>;
  /**
   * A logout route (mount it on POST, behind the app's CSRF check): `endSession`, then a 303 to
   * the service's `/logout` (with `postLogoutRedirectUri`) or to `logoutReturnPath`.
   */
  readonly logout: RequestHandler;
}

/**
 * Login for an Express app, as the service's authorization code flow with PKCE: an anonymous page
 * request goes to the service's `/authorize`; the callback checks the answer against the pending
 * login kept in a signed cookie, redeems the code, keeps the app session token in the app's own
 * HttpOnly cookie, and sends the user back to the page they asked for.
 *
 * `logout` ends the session everywhere; the back-channel receiver is `tesseraBackchannelLogout`.
 */
export function tesseraLogin(options: TesseraLoginOptions): TesseraLogin {
  const settings = checkedLoginOptions(options);
  const { client, redirectUri, callbackPath, loginPath, issuer, key, now } = settings;
  const cookie = options.cookie ?? {};
  const cookieName = cookie.name ?? DEFAULT_COOKIE_NAME;
  const pendingCookie = new PendingLoginCookie(
    settings.loginCookieName,
    callbackPath,
    cookie.secure ?? true,
    settings.loginTtlSeconds,
  );
  const onLoginError =
    options.onLoginError ??
    ((error: LoginError, _req: Request, res: Response) =>
      sendLoginErrorPage(res, error, loginUrl(loginPath, error.returnTo)));

  const session = tesseraSession({
    client,
    cookie: options.cookie,
    onFlushError: options.onFlushError,
    now: options.now,
  });

  const startLogin = (req: Request, res: Response, start: StartLoginOptions = {}): void => {
    const state = randomUrlToken();
    const pkce = createPkcePair();
    const pending = {
      state,
      verifier: pkce.verifier,
      returnTo: safeReturnTo(start.returnTo),
      expiresAt: now() + settings.loginTtlSeconds * 1000,
      prompt: start.prompt,
    };
    pendingCookie.set(res, state, signPendingLogin(key, pending));
    res.setHeader('cache-control', 'no-store');
    res.redirect(
      302,
      authorizeUrl(settings.serviceUrl, {
        clientId: client.clientId,
        redirectUri,
        state,
        codeChallenge: pkce.challenge,
        prompt: start.prompt,
        loginHint: start.loginHint,
      }),
    );
  };

  const login: RequestHandler = (req, res) => {
    const params = queryOf(req);
    const prompt = params.get('prompt');
    startLogin(req, res, {
      returnTo: params.getAll('return_to').length === 1 ? params.get('return_to')! : undefined,
      prompt: prompt === 'none' || prompt === 'login' ? prompt : undefined,
    });
  };

  const callback: RequestHandler = (req, res, next) => {
    const params = queryOf(req);
    const state = params.get('state') ?? '';
    const pending = verifyPendingLogin(key, pendingCookie.read(req, state), now());
    res.setHeader('cache-control', 'no-store');
    // A pending login is good for one answer, whatever the answer is.
    pendingCookie.clear(res, state);

    let checked: ReturnType<typeof checkCallback>;
    try {
      checked = checkCallback({ params, pending, issuer });
    } catch (error) {
      if (error instanceof LoginError) return onLoginError(error, req, res, next);
      return next(error);
    }

    const { code, pending: login } = checked;
    client
      .exchangeCode({ code, redirectUri, codeVerifier: login.verifier })
      .then(
        (exchanged) => {
          const previous = readCookie(req.headers.cookie, cookieName);
          if (previous !== undefined && previous !== exchanged.appSessionToken) {
            client.forget(previous);
          }
          appendSetCookie(res, serializeCookie(exchanged.appSessionToken, cookie));
          // Checked when the login started; checked again so that only this function decides.
          res.redirect(303, safeReturnTo(login.returnTo));
        },
        (error: unknown) => {
          // A refused code is the user's problem (expired, replayed); anything else is the app's.
          if (!(error instanceof InvalidGrantError)) return next(error);
          onLoginError(
            new LoginError(400, 'invalid_grant', error.message, login.returnTo, login.prompt, {
              cause: error,
            }),
            req,
            res,
            next,
          );
        },
      )
      // A throwing error hook must not become an unhandled rejection.
      .catch(next);
  };

  const routes: RequestHandler = (req, res, next) => {
    // GET only: a HEAD (a link preview, say) must not spend the code or start a login.
    if (req.method !== 'GET') return next();
    const path = pathOf(req);
    if (path === callbackPath) return callback(req, res, next);
    if (path === loginPath) return login(req, res, next);
    next();
  };

  const decide = (req: Request, res: Response, next: NextFunction): void => {
    if (req.tessera !== undefined) return next();
    // The login routes must stay reachable, or mounting requireLogin first would loop.
    const path = pathOf(req);
    if (path === callbackPath || path === loginPath) return next();
    if (isPageNavigation(req)) return startLogin(req, res, { returnTo: req.originalUrl });
    res.status(401).set('cache-control', 'no-store').json({
      error: 'login_required',
      error_description: 'sign in first',
      login_url: loginPath,
    });
  };

  const requireLogin: RequestHandler = (req, res, next) => {
    if (sessionLoaded(req)) return decide(req, res, next);
    // Without the session middleware, every request would look anonymous and loop through login.
    return session(req, res, (error?: unknown) => (error ? next(error) : decide(req, res, next)));
  };

  const { endAppSession, endSession, logout } = appLogout({
    client,
    cookie,
    serviceUrl: settings.serviceUrl,
    postLogoutRedirectUri: settings.postLogoutRedirectUri,
    logoutReturnPath: settings.logoutReturnPath,
  });

  return {
    session,
    routes,
    requireLogin,
    callback,
    login,
    startLogin,
    endAppSession,
    endSession,
    logout,
  };
}

function loginUrl(loginPath: string, returnTo: string | undefined): string {
  return `${loginPath}?return_to=${encodeURIComponent(safeReturnTo(returnTo))}`;
}

/** Read from the raw URL, not `req.query`, so the app's query parser setting cannot change them. */
function queryOf(req: Request): URLSearchParams {
  const url = req.originalUrl;
  const mark = url.indexOf('?');
  return new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1));
}

function pathOf(req: Request): string {
  const url = req.originalUrl;
  const mark = url.indexOf('?');
  return mark === -1 ? url : url.slice(0, mark);
}
