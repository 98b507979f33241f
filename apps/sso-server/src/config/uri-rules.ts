/** DNS names and IPv4 addresses as URL parsing leaves them (lower case, punycode). */
const HOST_NAME = /^[a-z0-9.-]+$/;

/**
 * Which URIs a realm may register for its apps. Redirect and logout URIs must be https, or
 * plain http on `localhost` and `.test` hosts outside production, and must lie on the realm's
 * root domain or below it. They are matched exactly at run time, so they must be written in
 * canonical form (as `new URL(uri).href` prints them), with no user info, no fragment and no `*`.
 */
export function appUriProblems(uri: string, rootDomain: string, production: boolean): string[] {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [`"${uri}" is not an absolute URL`];
  }
  const problems: string[] = [];
  if (url.href !== uri) problems.push(`"${uri}" must be written in canonical form: "${url.href}"`);
  if (url.username || url.password) problems.push(`"${uri}" must not carry user info`);
  if (url.hash) problems.push(`"${uri}" must not have a fragment`);
  // Matching is exact, so a `*` would never act as a wildcard; refuse it rather than mislead.
  if (uri.includes('*')) problems.push(`"${uri}" must not contain * (URIs are matched exactly)`);
  else if (!HOST_NAME.test(url.hostname) && !url.hostname.startsWith('[')) {
    problems.push(`"${uri}" must name its host with letters, digits, - and . only`);
  }
  if (url.protocol === 'http:') {
    if (production || !isDevelopmentHost(url.hostname)) {
      problems.push(
        `"${uri}" must use https (plain http is allowed only for localhost and .test hosts outside production)`,
      );
    }
  } else if (url.protocol !== 'https:') {
    problems.push(`"${uri}" must use https`);
  }
  const host = url.hostname.toLowerCase();
  if (host !== rootDomain && !host.endsWith(`.${rootDomain}`)) {
    problems.push(`"${uri}" is not on the realm's root domain ${rootDomain}`);
  }
  return problems;
}

/** Upstream issuers: https, or plain http on loopback and .test hosts outside production. */
export function issuerProblems(issuer: string, production: boolean): string[] {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return [`"${issuer}" is not an absolute URL`];
  }
  if (url.protocol === 'https:') return [];
  if (url.protocol === 'http:' && !production && isDevelopmentHost(url.hostname)) return [];
  return [`"${issuer}" must use https`];
}

export function isDevelopmentHost(hostname: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(hostname) || hostname.endsWith('.test');
}
