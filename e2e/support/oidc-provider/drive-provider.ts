import type { HttpBrowser } from '../http-browser';

export type ProviderAction =
  { kind: 'sign-in'; username: string; password?: string } | { kind: 'cancel' };

/**
 * Follows the test provider's redirects from its authorization endpoint, answers its login form
 * as a user would (or cancels it), and returns the first redirect that leaves the provider: the
 * relying party's callback URL with `code` or `error`, `state` and `iss`. It does not follow
 * that last redirect, so the caller can inspect it.
 */
export async function driveProvider(
  browser: HttpBrowser,
  authorizationUrl: string,
  action: ProviderAction,
): Promise<string> {
  const issuer = new URL(authorizationUrl).origin;
  let pages = await browser.follow(authorizationUrl, { sameOrigin: true });
  for (let step = 0; step < 5; step += 1) {
    const page = pages.at(-1)!;
    if (page.location !== undefined && new URL(page.location).origin !== issuer) {
      return page.location;
    }
    const form = /<form id="login" method="post" action="([^"]+)"/.exec(page.body);
    if (page.status !== 200 || !form) {
      throw new Error(`the test provider answered ${page.status}: ${page.body.slice(0, 500)}`);
    }
    const loginUrl = new URL(form[1].replace(/&amp;/g, '&'), issuer);
    const answer: { url: string; fields: Record<string, string> } =
      action.kind === 'cancel'
        ? { url: loginUrl.href.replace(/\/login$/, '/abort'), fields: {} }
        : {
            url: loginUrl.href,
            fields: { username: action.username, password: action.password ?? '' },
          };
    pages = await browser.follow(answer.url, { form: answer.fields, sameOrigin: true });
  }
  throw new Error('the test provider showed its login form too many times');
}
