import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AttributeLimitError, TesseraError } from '@tessera/sdk';
import type { DemoConfig } from './demo-config';
import { messagePage } from './pages/message-page';
import { sendPage } from './respond';

export function notFound(config: DemoConfig): RequestHandler {
  return (_req, res) =>
    sendPage(
      res,
      404,
      messagePage(config, 'Not found', 'There is no such page here.', [
        { href: '/', label: 'Home' },
      ]),
    );
}

/**
 * Unexpected errors get an id that the log shows with the details; the page shows only the id.
 * Errors of the session service say what kind of trouble it is, never its message.
 */
export function errorPages(config: DemoConfig, log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    // A malformed or oversized form body (body-parser): the user's request, not our fault.
    const status = (error as { status?: unknown }).status;
    if (
      !(error instanceof TesseraError) &&
      typeof status === 'number' &&
      status >= 400 &&
      status < 500
    ) {
      return sendPage(
        res,
        status,
        messagePage(config, 'Bad request', 'The form could not be read.'),
      );
    }
    if (error instanceof AttributeLimitError) {
      return sendPage(
        res,
        413,
        messagePage(config, 'Too much', 'The session is full; remove something first.', [
          { href: '/', label: 'Home' },
        ]),
      );
    }
    const id = randomUUID();
    log(`error ${id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const unavailable = error instanceof TesseraError && error.retryable;
    sendPage(
      res,
      unavailable ? 503 : 500,
      messagePage(
        config,
        unavailable ? 'Try again' : 'Something went wrong',
        unavailable
          ? `The session service did not answer. Try again in a moment (reference ${id}).`
          : `The error was logged with reference ${id}.`,
        [{ href: '/', label: 'Home' }],
      ),
    );
  };
}
