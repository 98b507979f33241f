import { request } from 'undici';

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly location?: string;
  readonly setCookies: readonly string[];
  readonly body: string;
}

/**
 * A browser stand-in for flows across several hosts that all run on loopback in tests: URLs use
 * the public names (`http://shop.example.test:3001`, as registered at the service) and `hosts`
 * maps each public origin to where it really listens, like a hosts file. Cookies are kept per
 * host (name=value; Max-Age=0 deletes); redirects are followed one hop at a time on request.
 * Requests say `sec-fetch-mode: navigate`, as a browser's page loads do.
 */
export class MappedBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  constructor(private readonly hosts: Readonly<Record<string, string>>) {}

  async open(url: string, form?: Record<string, string>): Promise<Page> {
    const target = new URL(url);
    const real = this.hosts[target.origin];
    if (real === undefined) throw new Error(`no host mapping for ${target.origin}`);
    const headers: Record<string, string> = {
      accept: 'text/html',
      'sec-fetch-mode': 'navigate',
    };
    const cookie = [...(this.cookies.get(target.host) ?? [])].map(([n, v]) => `${n}=${v}`);
    if (cookie.length > 0) headers.cookie = cookie.join('; ');
    if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = target.origin;
    }
    const answer = await request(`${real}${target.pathname}${target.search}`, {
      method: form === undefined ? 'GET' : 'POST',
      headers,
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
    });
    const setCookies = [answer.headers['set-cookie'] ?? []].flat();
    this.remember(target.host, setCookies);
    const location = answer.headers.location;
    return {
      url,
      status: answer.statusCode,
      location: typeof location === 'string' ? new URL(location, url).href : undefined,
      setCookies,
      body: await answer.body.text(),
    };
  }

  /** Opens `url` and follows redirects (GET) until a page that is not a redirect. */
  async follow(url: string, form?: Record<string, string>, maxHops = 10): Promise<Page[]> {
    const pages = [await this.open(url, form)];
    while (pages.at(-1)!.location !== undefined && pages.length <= maxHops) {
      pages.push(await this.open(pages.at(-1)!.location!));
    }
    return pages;
  }

  cookie(host: string, name: string): string | undefined {
    return this.cookies.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    if (!this.cookies.has(host)) this.cookies.set(host, new Map());
    this.cookies.get(host)!.set(name, value);
  }

  private remember(host: string, lines: readonly string[]): void {
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) {
        this.cookies.get(host)?.delete(name);
      } else {
        this.setCookie(host, name, pair.slice(eq + 1).trim());
      }
    }
  }
}
