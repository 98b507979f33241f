import type { ServerResponse } from 'node:http';
import type { RequestSession } from './request-session';

/**
 * Delays `res.end` until the session's pending writes are flushed (as express-session does), so the
 * response only finishes once the service has the writes, and the browser's next request, on any
 * app instance, reads them. Writes made after `res.end` need an explicit `flush()`.
 */
export function flushBeforeEnd(
  res: ServerResponse,
  session: RequestSession,
  onError: (error: unknown) => void,
): void {
  const end = res.end;
  let ending = false;

  res.end = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (ending) return this;
    if (!session.isDirty) return Reflect.apply(end, this, args) as ServerResponse;
    ending = true;
    void (async () => {
      try {
        await session.flush();
      } catch (error) {
        try {
          onError(error);
        } catch {
          // A throwing error handler must not leave the response hanging.
        }
      }
      res.end = end;
      Reflect.apply(end, res, args);
    })();
    return this;
  } as ServerResponse['end'];
}
