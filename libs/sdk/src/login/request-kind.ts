import type { IncomingMessage } from 'node:http';

/**
 * Whether an anonymous request should be answered with a redirect to the login page (a page
 * the user navigates to) rather than a 401: a redirect would break a form post (its body is
 * lost), a script's fetch (it cannot follow a cross-site login), or an image.
 */
export function isPageNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // Sent by every current browser; anything but a navigation (fetch, img, script) is not a page.
  const mode = req.headers['sec-fetch-mode'];
  if (mode !== undefined && mode !== 'navigate') return false;
  if (req.headers['x-requested-with'] !== undefined) return false;
  return !prefersJson(req.headers.accept);
}

const JSON_TYPE = /^application\/([a-z0-9.-]+\+)?json$/;
const HTML_TYPE = /^(text\/html|application\/xhtml\+xml)$/;

/** True when the Accept header names JSON and does not name HTML as high (a browser's `*\/*` is neither). */
export function prefersJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const json = qualityOf(accept, JSON_TYPE);
  return json > 0 && json > qualityOf(accept, HTML_TYPE);
}

function qualityOf(accept: string, type: RegExp): number {
  let best = 0;
  for (const part of accept.split(',')) {
    const [media = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!type.test(media)) continue;
    const q = params.find((param) => param.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(quality) && quality > best) best = quality;
  }
  return best;
}
