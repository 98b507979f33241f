import type { Browserless } from './browserless';
import { locationOf } from './browserless';

export type ProviderAction =
  { kind: 'sign-in'; username: string; password?: string } | { kind: 'cancel' };

/**
 * Follows the test provider's redirects from its authorization endpoint, answers its login form
 * as a user would (or cancels it), and returns the first redirect that leaves the provider: the
 * relying party's callback URL with `code` or `error`, `state` and `iss`. It does not follow
 * that last redirect, so the caller can inspect it.
 */
export async function driveProvider(
  browser: Browserless,
  authorizationUrl: string,
  action: ProviderAction,
): Promise<string> {
  const issuer = new URL(authorizationUrl).origin;
  let response = await browser.get(authorizationUrl);
  for (let step = 0; step < 20; step += 1) {
    if (response.status >= 300 && response.status < 400) {
      const next = locationOf(response);
      if (new URL(next).origin !== issuer) return next;
      response = await browser.get(next);
      continue;
    }
    const page = await response.text();
    const form = /<form id="login" method="post" action="([^"]+)"/.exec(page);
    if (response.status !== 200 || !form) {
      throw new Error(`the test provider answered ${response.status}: ${page.slice(0, 500)}`);
    }
    const loginUrl = new URL(form[1].replace(/&amp;/g, '&'), issuer);
    if (action.kind === 'cancel') {
      response = await browser.postForm(loginUrl.href.replace(/\/login$/, '/abort'), {});
    } else {
      response = await browser.postForm(loginUrl.href, {
        username: action.username,
        password: action.password ?? '',
      });
    }
  }
  throw new Error('the test provider redirected too many times');
}
