import { escapeHtml, page } from '../pages/html';
import type { LogoutRequest } from './logout-request';

/** The page after logout: hidden frames for each app's front-channel URI, then onwards. */
export function renderSignedOutPage(frames: readonly string[], next: string | undefined): string {
  const refresh = next ? `<meta http-equiv="refresh" content="2;url=${escapeHtml(next)}">\n` : '';
  const iframes = frames
    .map((src) => `<iframe src="${escapeHtml(src)}" hidden title="signing out"></iframe>`)
    .join('\n');
  const onwards = next ? `<a class="button" href="${escapeHtml(next)}">Continue</a>` : '';
  return page(
    'Signed out',
    `${refresh}<h1>You are signed out</h1>
<p class="muted">You have been signed out of every application of this sign-in.</p>
${iframes}
${onwards}`,
  );
}

/** Asked when a logout comes from another site, so that a stranger's page cannot sign the user out. */
export function renderConfirmPage(request: LogoutRequest, csrf: string): string {
  const hidden = (name: string, value: string | undefined) =>
    value === undefined
      ? ''
      : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">\n`;
  return page(
    'Sign out?',
    `<h1>Sign out?</h1>
<p class="muted">Sign out of every application of this sign-in.</p>
<form method="post" action="/logout">
${hidden('csrf', csrf)}${hidden('client_id', request.app?.clientId)}${hidden('post_logout_redirect_uri', request.postLogoutRedirectUri)}${hidden('state', request.state)}<button type="submit">Sign out</button>
</form>`,
  );
}
