import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionSource } from './client';
import type { CookieOptions } from './cookie';
import { DEFAULT_COOKIE_NAME, expiredCookie, readCookie } from './cookie';
import { InvalidSessionError } from './errors';
import { flushBeforeEnd } from './flush-on-end';
import type { Clock } from './request-session';
import { RequestSession } from './request-session';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** This request's merged session; undefined when the request has no valid app session. */
      tessera?: RequestSession;
    }
  }
}

/** Requests the middleware has seen, signed in or not: mounted twice, it must not load twice. */
const handled = new WeakSet<Request>();

/** Whether a session middleware has already run for this request (`req.tessera` is then final). */
export function sessionLoaded(req: Request): boolean {
  return handled.has(req);
}

export interface TesseraSessionOptions {
  /** Usually a `TesseraClient`. */
  readonly client: SessionSource;
  /** The app's session cookie: read by default, cleared when the service says the session is over. */
  readonly cookie?: CookieOptions;
  /** Where the app session token is; default: the cookie named `cookie.name`. */
  readonly tokenFrom?: (req: Request) => string | undefined;
  /** Called when the end-of-request flush fails; the response still goes out. Default: console.error. */
  readonly onFlushError?: (error: unknown, req: Request, res: Response) => void;
  /** Clock for the call times of writes. Default `Date.now`. */
  readonly now?: Clock;
}

/**
 * Loads the merged session once per request into `req.tessera`, and flushes the request's writes
 * in one batch before the response finishes. Without a token, or with one the service no longer
 * accepts, the request goes on anonymous (`req.tessera` undefined). Other errors go to `next(err)`.
 */
export function tesseraSession(options: TesseraSessionOptions): RequestHandler {
  const { client, now } = options;
  const cookieName = options.cookie?.name ?? DEFAULT_COOKIE_NAME;
  const tokenFrom =
    options.tokenFrom ?? ((req: Request) => readCookie(req.headers.cookie, cookieName));
  const clearCookie = expiredCookie(options.cookie);
  const onFlushError = options.onFlushError ?? logFlushError;

  const forgetCookie = (res: Response): void => {
    if (!res.headersSent) res.append('Set-Cookie', clearCookie);
  };

  return function tesseraSessionMiddleware(req: Request, res: Response, next: NextFunction): void {
    // Mounted twice (app.use plus a router, say): the session is already loaded, or known absent.
    if (handled.has(req) || req.tessera !== undefined) return next();
    handled.add(req);
    const token = tokenFrom(req);
    if (token === undefined || token.length === 0) return next();

    client.getSession(token).then(
      (view) => {
        const session = new RequestSession(client, token, view, now);
        req.tessera = session;
        flushBeforeEnd(res, session, (error) => {
          if (error instanceof InvalidSessionError) forgetCookie(res);
          onFlushError(error, req, res);
        });
        next();
      },
      (error: unknown) => {
        if (!(error instanceof InvalidSessionError)) return next(error);
        forgetCookie(res);
        next();
      },
    );
  };
}

function logFlushError(error: unknown, req: Request): void {
  console.error(`[tessera] session writes of ${req.method} ${req.originalUrl} were lost:`, error);
}
