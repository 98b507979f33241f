import type { Response } from 'express';
import { escapeHtml, page } from './html';

/** A page for failures that must not redirect (unknown client, unregistered redirect URI, ...). */
export function sendErrorPage(res: Response, status: number, title: string, detail: string): void {
  res
    .status(status)
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .send(page(title, `<h1>${escapeHtml(title)}</h1>\n<p class="error">${escapeHtml(detail)}</p>`));
}
