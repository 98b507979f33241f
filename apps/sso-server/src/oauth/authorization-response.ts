/** The redirect back to the app (RFC 6749 4.1.2, with `iss` as RFC 9207 recommends). */
export function authorizationResponseUrl(
  redirectUri: string,
  issuer: string,
  params: { code?: string; error?: string; error_description?: string; state?: string },
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  url.searchParams.set('iss', issuer);
  return url.href;
}
