/**
 * A minimal browser stand-in for HTTP-level flow tests: remembers cookies per host from
 * Set-Cookie (name=value only; Max-Age=0 deletes) and never follows redirects by itself,
 * so every hop can be checked.
 */
export class CookieJar {
  private readonly jar = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const { host } = new URL(url);
    const cookies = [...(this.jar.get(host) ?? [])]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (cookies) headers.set('cookie', cookies);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.remember(host, response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects hop by hop while they stay on `host`; answers the first response elsewhere or final. */
  async follow(url: string, init: RequestInit = {}, maxHops = 10): Promise<Response> {
    let response = await this.fetch(url, init);
    for (let hop = 0; hop < maxHops && isRedirect(response); hop++) {
      const next = new URL(response.headers.get('location')!, url);
      if (next.host !== new URL(url).host) return response;
      url = next.href;
      response = await this.fetch(url);
    }
    return response;
  }

  get(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  set(host: string, name: string, value: string): void {
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  private remember(host: string, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a),
      );
      if (expired) this.jar.get(host)?.delete(name);
      else this.set(host, name, value);
    }
  }
}

export function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}
