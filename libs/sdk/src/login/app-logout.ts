import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CookieOptions } from '../cookie';
import { DEFAULT_COOKIE_NAME, expiredCookie, readCookie } from '../cookie';
import { appendSetCookie } from './pending-login-cookie';

/** What logout needs from a client: usually a `TesseraClient`. */
export interface LogoutCapableClient {
  readonly clientId: string;
  forget(token: string): void;
  endSession(token: string): Promise<void>;
}

export interface AppLogoutSettings {
  readonly client: LogoutCapableClient;
  readonly cookie: CookieOptions;
  readonly serviceUrl: URL;
  /** Set: the browser goes on to the service's `/logout`, which returns it here. */
  readonly postLogoutRedirectUri?: string;
  /** Where the browser goes after a logout without `postLogoutRedirectUri`. */
  readonly logoutReturnPath: string;
}

export interface AppLogout {
  endAppSession(req: Request, res: Response): void;
  endSession(req: Request, res: Response): Promise<void>;
  readonly logout: RequestHandler;
  readonly logoutUrl: string | undefined;
}

/** `{serviceUrl}/logout?client_id&post_logout_redirect_uri` (OpenID Connect RP-Initiated Logout). */
export function serviceLogoutUrl(
  serviceUrl: URL,
  clientId: string,
  postLogoutRedirectUri: string,
): string {
  const url = new URL(serviceUrl.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/logout`;
  url.search = '';
  url.hash = '';
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
  // No `state`: the app keeps nothing across this redirect, so there would be nothing to match.
  return url.href;
}

/** The logout half of `tesseraLogin`: local only (`endAppSession`) or everywhere (`endSession`). */
export function appLogout(settings: AppLogoutSettings): AppLogout {
  const { client, cookie } = settings;
  const cookieName = cookie.name ?? DEFAULT_COOKIE_NAME;
  const logoutUrl =
    settings.postLogoutRedirectUri === undefined
      ? undefined
      : serviceLogoutUrl(settings.serviceUrl, client.clientId, settings.postLogoutRedirectUri);

  const endAppSession = (req: Request, res: Response): void => {
    const token = readCookie(req.headers.cookie, cookieName);
    if (token !== undefined) client.forget(token);
    appendSetCookie(res, expiredCookie(cookie));
  };

  const endSession = async (req: Request, res: Response): Promise<void> => {
    const token = readCookie(req.headers.cookie, cookieName);
    // Local state goes first: whatever the service answers, this browser is signed out here.
    endAppSession(req, res);
    if (token !== undefined && token.length > 0) await client.endSession(token);
  };

  const logout: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('cache-control', 'no-store');
    endSession(req, res).then(
      () => res.redirect(303, logoutUrl ?? settings.logoutReturnPath),
      (error: unknown) => {
        // The service's /logout ends the SSO session by the browser's cookie: it still can.
        if (logoutUrl !== undefined) return res.redirect(303, logoutUrl);
        next(error);
      },
    );
  };

  return { endAppSession, endSession, logout, logoutUrl };
}
