import { join } from 'node:path';
import type { BrowserContext, Cookie, Page } from 'playwright-core';

/** One main-frame navigation hop as the browser saw it: `303 GET http://sso.example.test:1/authorize`. */
export interface Hop {
  readonly status: number;
  readonly method: string;
  readonly url: URL;
}

/**
 * Records the main frame's navigations, redirects included (each redirect is a response of its
 * own), so a test can tell which pages the user was shown and which hops only passed through.
 */
export function recordNavigations(page: Page): Hop[] {
  const hops: Hop[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      hops.push({
        status: response.status(),
        method: request.method(),
        url: new URL(request.url()),
      });
    }
  });
  return hops;
}

/** `303 GET sso.example.test:1234/authorize`, for readable expectations. */
export const hopLine = (hop: Hop) =>
  `${hop.status} ${hop.method} ${hop.url.host}${hop.url.pathname}`;

/**
 * Collects what Chromium reports as Content-Security-Policy violations: a stylesheet or a form
 * redirect that the policy blocks would break the page for a person without failing a request.
 */
export function recordCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Answers Tessera's login form, which the page must be showing. */
export async function submitPassword(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The value next to a term of the demo app's "Signed in" list (Name, Subject, Realm). */
export async function shownAs(page: Page, term: string): Promise<string> {
  const value = page.locator(`xpath=//dt[normalize-space()="${term}"]/following-sibling::dd[1]`);
  return (await value.innerText()).trim();
}

/** The demo app's cart as listed on its home page. */
export async function cartOf(page: Page): Promise<string[]> {
  const items = await page
    .locator('main section', { hasText: 'Cart' })
    .locator('li')
    .allInnerTexts();
  return items.map((item) => item.trim());
}

/** The demo app's theme, as the page applies it (the body's class). */
export async function themeOf(page: Page): Promise<string | null> {
  return page.locator('body').getAttribute('class');
}

/**
 * Every cookie of the context that a host set for itself or for a parent domain, whatever its
 * path (the SDK's pending-login cookies live under /auth/callback only).
 */
export async function cookiesOf(context: BrowserContext, host: string): Promise<Cookie[]> {
  return (await context.cookies()).filter(
    (cookie) => cookie.domain === host || host.endsWith(cookie.domain.replace(/^\.?/, '.')),
  );
}

/**
 * Saves a PNG of the page to $TESSERA_SCREENSHOTS/<name>.png when that folder is set, to look at
 * what a person would see; otherwise does nothing, so test runs leave no files behind.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.TESSERA_SCREENSHOTS;
  if (folder) await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}
