import type { RequestHandler } from 'express';
import { CSRF_ATTRIBUTE, CSRF_FIELD, csrfTokenMatches, originAllowed } from './csrf';
import type { DemoConfig } from './demo-config';
import { messagePage } from './pages/message-page';
import { sendPage } from './respond';

/** Refuses a state-changing request whose form lacks the session's token or comes from another site. */
export function csrfGuard(config: DemoConfig): RequestHandler {
  const ownOrigin = config.publicUrl.origin;
  return (req, res, next) => {
    // Safe methods change nothing here, so they need no token (and a 404 stays a 404).
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (
      originAllowed(req.headers.origin, ownOrigin) &&
      csrfTokenMatches(req.tessera?.get(CSRF_ATTRIBUTE), body[CSRF_FIELD])
    ) {
      return next();
    }
    sendPage(
      res,
      403,
      messagePage(
        config,
        'Form expired',
        'This form is not valid any more. Reload the page and try again.',
        [{ href: '/', label: 'Reload' }],
      ),
    );
  };
}
