import type { RequestHandler } from 'express';

/**
 * Headers for every response. The pages run no script at all, so the policy allows none; styles
 * come from /style.css only. Forms may post to this app and, through the redirect chain that a
 * login or logout starts from a form, reach the service (browsers apply form-action to redirects).
 * Referrer-Policy same-origin keeps the Origin header on our own form posts for the CSRF check.
 */
export function securityHeaders(serviceOrigin: string): RequestHandler {
  const policy = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self' ${serviceOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('content-security-policy', policy);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    next();
  };
}
