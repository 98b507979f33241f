/**
 * The Tessera SDK for Express apps. The NestJS module is a separate entry point,
 * `@tessera/sdk/nest`, so that Express-only apps do not load `@nestjs/common`.
 */
export type {
  AttributeOperation,
  CodeExchange,
  PatchOptions,
  SessionSource,
  TesseraClientOptions,
} from './client';
export { TesseraClient } from './client';
export type { CookieOptions } from './cookie';
export { DEFAULT_COOKIE_NAME, expiredCookie, readCookie, serializeCookie } from './cookie';
export {
  AttributeLimitError,
  ClientAuthenticationError,
  ConflictError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidSessionError,
  ServiceUnavailableError,
  TesseraError,
  VersionMismatchError,
  errorFromResponse,
} from './errors';
export type { TesseraSessionOptions } from './express';
export { sessionLoaded, tesseraSession } from './express';
export type {
  LoginClient,
  LoginErrorHandler,
  StartLoginOptions,
  TesseraLogin,
  TesseraLoginOptions,
} from './login/tessera-login';
export { tesseraLogin } from './login/tessera-login';
export { LoginError } from './login/login-error';
export type { PkcePair } from './login/pkce';
export { createPkcePair } from './login/pkce';
export { safeReturnTo } from './login/return-to';
export type {
  BackchannelLogoutHandler,
  BackchannelLogoutOptions,
  LogoutClient,
  LogoutOutcome,
} from './logout/backchannel-logout';
export { tesseraBackchannelLogout } from './logout/backchannel-logout';
export { LogoutTokenError } from './logout/logout-token-error';
export type { LogoutClaims } from './logout/verify-logout-token';
export { BACKCHANNEL_LOGOUT_EVENT, verifyLogoutToken } from './logout/verify-logout-token';
export { onPostTo } from './logout/on-post-to';
export type { Clock } from './request-session';
export { RequestSession } from './request-session';
export type { AttributeMap, JsonValue, Principal, SessionInfo, SessionView } from './session-view';
export { readAttribute } from './session-view';
export type { ExchangedSession } from './token-response';
