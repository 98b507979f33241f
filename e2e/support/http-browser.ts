import { request } from 'undici';

/** One answer, read whole. */
export interface Page {
  /** The URL as asked for: the public one when hosts are mapped. */
  readonly url: string;
  readonly status: number;
  /** Response headers; `getSetCookie()` gives the Set-Cookie lines for flag checks. */
  readonly headers: Headers;
  /** Where a redirect (3xx) points, resolved against `url`. */
  readonly location?: string;
  readonly body: string;
}

export interface FollowOptions {
  /** Post this form to the first URL instead of getting it. */
  form?: Record<string, string>;
  /** Stop at a redirect that leaves the first URL's origin, without following it. */
  sameOrigin?: boolean;
  maxHops?: number;
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * A browser stand-in for flow tests over HTTP. It never follows a redirect by itself, so every
 * hop can be checked. Requests say `sec-fetch-mode: navigate` (undici's fetch would force
 * `cors`), as a browser's page loads and form posts do; posts carry an Origin. Cookies are kept
 * per host (port included, stricter than a browser), with Path; Max-Age or Expires in the past
 * deletes; Secure and SameSite are ignored (everything here is plain-http loopback).
 * `hosts` maps public origins (`http://shop.example.test:3001`) to where they really listen, like
 * a hosts file; without it, URLs are used as they are.
 */
export class HttpBrowser {
  private readonly cookies = new Map<string, Map<string, StoredCookie>>();
  private readonly hosts?: Readonly<Record<string, string>>;

  constructor(options: { hosts?: Readonly<Record<string, string>> } = {}) {
    this.hosts = options.hosts;
  }

  get(url: string): Promise<Page> {
    return this.send(url);
  }

  postForm(url: string, fields: Record<string, string>): Promise<Page> {
    return this.send(url, fields);
  }

  /** Opens `url` and follows redirects with GET, one hop at a time; answers every page on the way. */
  async follow(url: string, options: FollowOptions = {}): Promise<Page[]> {
    const { form, sameOrigin = false, maxHops = 10 } = options;
    const pages = [await this.send(url, form)];
    for (let hop = 0; hop < maxHops; hop++) {
      const { location } = pages.at(-1)!;
      if (location === undefined) break;
      if (sameOrigin && new URL(location).origin !== new URL(url).origin) break;
      pages.push(await this.get(location));
    }
    return pages;
  }

  cookie(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name)?.value;
  }

  /** Plants a cookie (Path=/) for the host of `url`, as a signed-in browser would hold it. */
  setCookie(url: string, name: string, value: string): void {
    this.store(new URL(url).host, name, { value, path: '/' });
  }

  private async send(url: string, form?: Record<string, string>): Promise<Page> {
    const target = new URL(url);
    const headers: Record<string, string> = {
      accept: 'text/html',
      'sec-fetch-mode': 'navigate',
      // Every flow driven here runs between the realm's own hosts, which share its root domain.
      'sec-fetch-site': 'same-site',
    };
    const cookie = [...(this.cookies.get(target.host) ?? [])]
      .filter(([, c]) => pathMatches(target.pathname, c.path))
      .map(([name, c]) => `${name}=${c.value}`);
    if (cookie.length > 0) headers.cookie = cookie.join('; ');
    if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = target.origin;
    }
    const answer = await request(this.realUrl(target), {
      method: form === undefined ? 'GET' : 'POST',
      headers,
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const v of [value ?? []].flat()) responseHeaders.append(name, v);
    }
    for (const line of responseHeaders.getSetCookie()) this.remember(target, line);
    const location = responseHeaders.get('location');
    const redirect = answer.statusCode >= 300 && answer.statusCode < 400 && location !== null;
    return {
      url,
      status: answer.statusCode,
      headers: responseHeaders,
      location: redirect ? new URL(location, url).href : undefined,
      body: await answer.body.text(),
    };
  }

  private realUrl(target: URL): string {
    if (this.hosts === undefined) return target.href;
    const real = this.hosts[target.origin];
    if (real === undefined) throw new Error(`no host mapping for ${target.origin}`);
    return `${real}${target.pathname}${target.search}`;
  }

  private remember(target: URL, line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    // Max-Age wins over Expires (RFC 6265 5.3).
    const expired =
      maxAge !== undefined
        ? Number(maxAge) <= 0
        : expires !== undefined && Date.parse(expires) <= Date.now();
    if (expired) {
      this.cookies.get(target.host)?.delete(name);
      return;
    }
    const path = attribute('path') ?? defaultPath(target.pathname);
    this.store(target.host, name, { value: pair.slice(eq + 1), path });
  }

  private store(host: string, name: string, cookie: StoredCookie): void {
    if (!this.cookies.has(host)) this.cookies.set(host, new Map());
    this.cookies.get(host)!.set(name, cookie);
  }
}

/** RFC 6265 5.1.4: `/login` matches `/login` and `/login/x`, not `/loginx`. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  const prefix = cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`;
  return requestPath.startsWith(prefix);
}

/** RFC 6265 5.1.4: without a Path attribute, the request path up to its last slash. */
function defaultPath(requestPath: string): string {
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}
