import type { Request, Response } from 'express';
import type { RequestSession } from '@tessera/sdk';
import type { SafeHtml } from './html';

/** Pages show personal data: never stored by a shared cache or the browser's back button cache. */
export function sendPage(res: Response, status: number, page: SafeHtml): void {
  res
    .status(status)
    .set('content-type', 'text/html; charset=utf-8')
    .set('cache-control', 'no-store')
    .send(page.value);
}

/** The session behind `requireLogin`; its absence there is a wiring mistake, not a user's. */
export function sessionOf(req: Request): RequestSession {
  if (req.tessera === undefined) throw new Error('route mounted without requireLogin');
  return req.tessera;
}
