import type { Response } from 'express';
import { escapeHtml, page } from '../pages/html';
import type { UpstreamLoginError } from './upstream-login-errors';

/** Where the login page lives; /authorize sends browsers there too. */
const LOGIN_PAGE = '/login';

/**
 * The page for a failed upstream sign-in: what happened and what to do, never a stack trace.
 * While the pending login still stands, it links back to the login page so the user can try
 * again or choose another way to sign in.
 */
export function sendUpstreamErrorPage(res: Response, error: UpstreamLoginError): void {
  const back = error.canRetry
    ? `\n<p><a class="button" href="${LOGIN_PAGE}">Back to sign-in</a></p>`
    : '';
  sendPage(res, error.status, error.title, `${escapeHtml(error.message)}`, back);
}

/** An unexpected failure: the user gets the reference the log has the details under. */
export function sendUnexpectedErrorPage(res: Response, reference: string): void {
  sendPage(
    res,
    500,
    'Something went wrong',
    `Signing you in failed unexpectedly. If it happens again, quote reference ${escapeHtml(reference)}.`,
    '',
  );
}

function sendPage(res: Response, status: number, title: string, text: string, extra: string) {
  if (res.headersSent) return;
  res
    .status(status)
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .send(page(title, `<h1>${escapeHtml(title)}</h1>\n<p class="error">${text}</p>${extra}`));
}
