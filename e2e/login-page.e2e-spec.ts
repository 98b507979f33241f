import { CreateLocalAccount } from '@tessera/core';
import { HttpBrowser } from './support/http-browser';
import { pkcePair } from './support/pkce';
import { sessionApi } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

const CALLBACK = 'http://shop.example.test:3001/auth/callback';

/** The login page with local accounts, over HTTP: CSRF, same answer for every failure, throttling, rotation. */
describe('login page with local accounts (real service, real database)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      apps: [{ clientId: 'shop', secret: 'shop-secret', redirectUris: [CALLBACK] }],
    });
    const create = service.app.get(CreateLocalAccount);
    await create.execute({
      realm: 'example',
      username: 'ada',
      password: 'correct-horse-battery',
      name: 'Ada Lovelace',
    });
    await create.execute({
      realm: 'example',
      username: 'grace',
      password: 'another-long-password',
    });
    await create.execute({
      realm: 'example',
      username: 'mallory',
      password: 'long-enough-password',
    });
  });

  afterAll(() => service.close());

  /** A browser that started a login at shop and now looks at the login page. */
  async function atLoginPage(
    jar = new HttpBrowser(),
    extra: Record<string, string> = {},
  ): Promise<{ jar: HttpBrowser; csrf: string; html: string }> {
    const url = new URL('/authorize', service.url);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'shop',
      redirect_uri: CALLBACK,
      state: 'st',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
    const page = (await jar.follow(url.href, { sameOrigin: true })).at(-1)!;
    expect(page.status).toBe(200);
    const html = page.body;
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    return { jar, csrf, html };
  }

  const submit = (jar: HttpBrowser, form: Record<string, string>) =>
    jar.postForm(`${service.url}/login`, form);

  it('shows a form without script, with a strict CSP allowing the post to go back to the app only', async () => {
    const jar = new HttpBrowser();
    const { html } = await atLoginPage();
    expect(html).toMatch(/<form method="post" action="\/login">/);
    expect(html).not.toMatch(/<script/i);
    const response = await jar.get(`${service.url}/assets/tessera.css`);
    expect(response.status).toBe(200);
    const { jar: browser } = await atLoginPage();
    const page = await browser.get(`${service.url}/login`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' http://shop.example.test:3001");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('signs in, rotates to a fresh SSO session, sets the cookie flags, and returns to the app with a code', async () => {
    const { jar, csrf } = await atLoginPage();
    jar.setCookie(service.url, 'tessera_sso', 'tss.planted-by-an-attacker');
    const response = await submit(jar, {
      username: 'Ada',
      password: 'correct-horse-battery',
      csrf,
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('code')).toMatch(/^tsc\./);
    expect(location.searchParams.get('state')).toBe('st');

    const sso = response.headers.getSetCookie().find((c) => c.startsWith('tessera_sso='))!;
    expect(sso).toMatch(/HttpOnly/);
    expect(sso).toMatch(/SameSite=Lax/);
    expect(sso).toMatch(/Path=\//);
    expect(sso).not.toMatch(/Domain=|Secure|Max-Age/);
    expect(jar.cookie(service.url, 'tessera_sso')).toMatch(/^tss\./);
    expect(jar.cookie(service.url, 'tessera_login')).toBeUndefined();
  });

  it("ends the browser's previous sign-in when someone signs in again on it", async () => {
    const earlier = await service.signIn('previous-user');
    const earlierToken = await service.joinApp(earlier, 'shop');
    const browser = new HttpBrowser();
    browser.setCookie(service.url, 'tessera_sso', earlier.ssoToken);
    const { csrf } = await atLoginPage(browser, { prompt: 'login' });
    const response = await submit(browser, {
      username: 'ada',
      password: 'correct-horse-battery',
      csrf,
    });
    expect(response.status).toBe(303);
    expect(browser.cookie(service.url, 'tessera_sso')).not.toBe(earlier.ssoToken);
    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(earlierToken)).status).toBe(
      401,
    );
  });

  it('refuses a post without the CSRF token, or with another one, and signs nobody in', async () => {
    const { jar } = await atLoginPage();
    expect((await submit(jar, { username: 'ada', password: 'correct-horse-battery' })).status).toBe(
      400,
    );
    const other = await atLoginPage();
    const forged = await submit(jar, {
      username: 'ada',
      password: 'correct-horse-battery',
      csrf: other.csrf,
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('tessera_sso='))).toBe(false);
  });

  it('refuses a post with no login in progress', async () => {
    const response = await submit(new HttpBrowser(), {
      username: 'ada',
      password: 'correct-horse-battery',
      csrf: 'x',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/No sign-in in progress/);
  });

  it('gives a wrong password and an unknown user the very same answer', async () => {
    const { jar, csrf } = await atLoginPage();
    const wrong = await submit(jar, { username: 'grace', password: 'not-her-password', csrf });
    const unknown = await submit(jar, {
      username: 'nobody-here',
      password: 'not-her-password',
      csrf,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)![1];
    expect(message(wrong.body)).toBe(message(unknown.body));
  });

  it('slows down repeated failures on one account with growing delays', async () => {
    const { jar, csrf } = await atLoginPage();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await submit(jar, {
        username: 'mallory',
        password: `guess-number-${i}-x`,
        csrf,
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.body).toMatch(/Too many failed attempts/);
      }
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toContain(429);
    // Even the right password is not checked while the account is held back.
    const right = await submit(jar, {
      username: 'mallory',
      password: 'long-enough-password',
      csrf,
    });
    expect(right.status).toBe(429);
  });
});
