/**
 * Just enough of a browser to walk redirect flows over HTTP: fetch with `redirect: 'manual'`
 * and one cookie jar. Like a browser on 127.0.0.1 it does not separate cookies by port, so the
 * service's and the test provider's cookies share the jar (their names do not collide); paths
 * and expiry are honoured, Secure and SameSite are not (everything here is plain-http loopback).
 */
interface StoredCookie {
  value: string;
  path: string;
  /** The Set-Cookie line, for tests that check attributes. */
  raw: string;
}

export class Browserless {
  private readonly cookies = new Map<string, StoredCookie>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** The Set-Cookie line that last set `name`. */
  setCookieLine(name: string): string | undefined {
    return this.cookies.get(name)?.raw;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const path = new URL(url).pathname;
    const cookie = [...this.cookies]
      .filter(
        ([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    const expired =
      (maxAge !== undefined && Number(maxAge) <= 0) ||
      (expires !== undefined && Date.parse(expires) <= Date.now());
    if (expired) {
      this.cookies.delete(name);
      return;
    }
    this.cookies.set(name, {
      value: pair.slice(eq + 1),
      path: attribute('path') ?? '/',
      raw: line,
    });
  }
}

/** The Location header of a redirect, resolved against the request URL. */
export function locationOf(response: Response): string {
  const location = response.headers.get('location');
  if (location === null) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location, response.url).href;
}
