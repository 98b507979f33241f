import type { Clock } from '../request-session';
import type { LoginClient, TesseraLoginOptions } from './tessera-login';
import { signingKey } from './pending-login';

/** The login options, checked once at start-up so that a mistake fails there, not at a user's login. */
export interface LoginSettings {
  readonly client: LoginClient;
  readonly serviceUrl: URL;
  readonly redirectUri: string;
  /** The path of `redirectUri`: where the callback is served and its cookies are scoped. */
  readonly callbackPath: string;
  readonly loginPath: string;
  readonly loginCookieName: string;
  readonly loginTtlSeconds: number;
  readonly issuer: string;
  readonly key: Buffer;
  readonly now: Clock;
  readonly postLogoutRedirectUri?: string;
  readonly logoutReturnPath: string;
}

const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkedLoginOptions(options: TesseraLoginOptions): LoginSettings {
  const serviceUrl = httpUrl(options.serviceUrl, 'serviceUrl');
  const redirect = httpUrl(options.redirectUri, 'redirectUri');
  // The service compares redirect URIs exactly, in the canonical form URL prints.
  if (redirect.href !== options.redirectUri || redirect.hash !== '' || redirect.search !== '') {
    throw new TypeError(
      `redirectUri must be canonical, without query or fragment: "${redirect.origin}${redirect.pathname}"`,
    );
  }
  const loginPath = options.loginPath ?? '/auth/login';
  if (!/^\/[\x21-\x7e]*$/.test(loginPath) || loginPath.includes('?')) {
    throw new TypeError('loginPath must be a path such as /auth/login');
  }
  if (loginPath === redirect.pathname) {
    throw new TypeError('loginPath and the path of redirectUri must differ');
  }
  const loginCookieName = options.loginCookieName ?? 'tessera_login';
  if (!COOKIE_NAME.test(loginCookieName)) {
    throw new TypeError('loginCookieName must be 1 to 64 of A-Z a-z 0-9 _ -');
  }
  const loginTtlSeconds = options.loginTtlSeconds ?? 600;
  if (!Number.isInteger(loginTtlSeconds) || loginTtlSeconds < 30 || loginTtlSeconds > 3600) {
    throw new TypeError('loginTtlSeconds must be an integer from 30 to 3600');
  }
  const postLogoutRedirectUri =
    options.postLogoutRedirectUri === undefined
      ? undefined
      : httpUrl(options.postLogoutRedirectUri, 'postLogoutRedirectUri').href;
  // The service compares it exactly with the registered URIs: a rewritten one would never match.
  if (
    postLogoutRedirectUri !== undefined &&
    postLogoutRedirectUri !== options.postLogoutRedirectUri
  ) {
    throw new TypeError(`postLogoutRedirectUri must be canonical: "${postLogoutRedirectUri}"`);
  }
  const logoutReturnPath = options.logoutReturnPath ?? '/';
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(logoutReturnPath)) {
    throw new TypeError('logoutReturnPath must be a path of this app such as /signed-out');
  }
  return {
    postLogoutRedirectUri,
    logoutReturnPath,
    client: options.client,
    serviceUrl,
    redirectUri: redirect.href,
    callbackPath: redirect.pathname,
    loginPath,
    loginCookieName,
    loginTtlSeconds,
    issuer: options.issuer ?? serviceUrl.origin,
    key: signingKey(options.cookieSecret),
    now: options.now ?? Date.now,
  };
}

function httpUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return url;
}
