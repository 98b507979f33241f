import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs `handler` for POST on exactly `path` and passes every other request on: the form a Nest
 * middleware chain mounted on every route needs. The path is read from the raw URL, so the app's
 * routing settings (trailing slash, case) cannot widen it.
 */
export function onPostTo(path: string, handler: RequestHandler): RequestHandler {
  if (!path.startsWith('/')) throw new TypeError(`path must start with "/", got "${path}"`);
  return (req: Request, res: Response, next: NextFunction) => {
    const url = req.originalUrl;
    const mark = url.indexOf('?');
    if (req.method === 'POST' && (mark === -1 ? url : url.slice(0, mark)) === path) {
      return handler(req, res, next);
    }
    next();
  };
}
