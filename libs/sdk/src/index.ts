/**
 * The Tessera SDK for Express apps. The NestJS module is a separate entry point,
 * `@tessera/sdk/nest`, so that Express-only apps do not load `@nestjs/common`.
 */
export type {
  AttributeOperation,
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
  InvalidRequestError,
  InvalidSessionError,
  ServiceUnavailableError,
  TesseraError,
  VersionMismatchError,
  errorFromResponse,
} from './errors';
export type { TesseraSessionOptions } from './express';
export { tesseraSession } from './express';
export type { Clock } from './request-session';
export { RequestSession } from './request-session';
export type { AttributeMap, JsonValue, Principal, SessionInfo, SessionView } from './session-view';
export { readAttribute } from './session-view';
