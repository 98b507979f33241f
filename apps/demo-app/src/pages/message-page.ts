import type { DemoConfig } from '../demo-config';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { layout } from './layout';

/** A page with a heading, a sentence and links: signed out, not found, errors. */
export function messagePage(
  config: DemoConfig,
  title: string,
  message: string,
  links: readonly { readonly href: string; readonly label: string }[] = [],
): SafeHtml {
  return layout(
    config,
    { title },
    html`<section>
      <h2>${title}</h2>
      <p>${message}</p>
      ${links.map((link) => html`<p><a href="${link.href}">${link.label}</a></p>`)}
    </section> `,
  );
}

export function signedOutPage(config: DemoConfig): SafeHtml {
  return messagePage(
    config,
    'Signed out',
    `You are signed out of ${config.name} and of every other app of the realm: the Tessera ` +
      'session has ended, so signing in again asks for your password.',
    [{ href: '/auth/login?return_to=%2F', label: 'Sign in again' }],
  );
}
