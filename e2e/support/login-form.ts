import type { Page } from './http-browser';
import { HttpBrowser } from './http-browser';
import { pkcePair } from './pkce';

export interface LoginFormPost {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Signs in the way a person does: an app's /authorize brings the browser to the login page,
 * whose form (with its CSRF token) is posted. Answers the post: 303 back to the app, or the page
 * again with the refusal.
 */
export async function postLoginForm(
  serviceUrl: string,
  post: LoginFormPost,
  browser = new HttpBrowser(),
): Promise<Page> {
  const url = new URL('/authorize', serviceUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: post.clientId,
    redirect_uri: post.redirectUri,
    state: 'st',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  }).toString();
  const page = (await browser.follow(url.href, { sameOrigin: true })).at(-1)!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error(`no login form at ${page.url} (status ${page.status})`);
  return browser.postForm(`${serviceUrl}/login`, {
    username: post.username,
    password: post.password,
    csrf,
  });
}
