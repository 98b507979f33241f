import type { ServerResponse } from 'node:http';
import type { LoginError } from './login-error';

/**
 * The default answer to a failed login: a small page saying what happened, with a link to try
 * again. Everything shown is escaped, and the page allows no script, style or frame.
 */
export function sendLoginErrorPage(res: ServerResponse, error: LoginError, retryUrl: string): void {
  const title =
    error.code === 'login_required'
      ? 'You are not signed in'
      : error.code === 'access_denied'
        ? 'Sign-in was refused'
        : 'Sign-in did not complete';
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(error.message)} (${escapeHtml(error.code)})</p>
<p><a href="${escapeHtml(retryUrl)}">Sign in</a></p>
</body>
</html>
`;
  res.statusCode = error.status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(body);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}
