/** What one redirect to the service's `/authorize` carries (besides the app's fixed identity). */
export interface AuthorizeParameters {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  /** `none`: answer at once, `login_required` if nobody is signed in; `login`: ask again. */
  readonly prompt?: 'none' | 'login';
  readonly loginHint?: string;
}

/** `{serviceUrl}/authorize?...` (a path prefix of the service URL is kept, as the client does). */
export function authorizeUrl(serviceUrl: URL, params: AuthorizeParameters): string {
  const url = new URL(serviceUrl.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/authorize`;
  url.search = '';
  url.hash = '';
  const query = url.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', params.clientId);
  query.set('redirect_uri', params.redirectUri);
  query.set('state', params.state);
  query.set('code_challenge', params.codeChallenge);
  query.set('code_challenge_method', 'S256');
  if (params.prompt !== undefined) query.set('prompt', params.prompt);
  if (params.loginHint !== undefined) query.set('login_hint', params.loginHint);
  return url.href;
}
