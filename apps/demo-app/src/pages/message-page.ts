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
    `You are signed out of ${config.name}. The other apps and the Tessera service still have your ` +
      'session until single logout arrives, so signing in again will not ask for a password.',
    [{ href: '/auth/login?return_to=%2F', label: 'Sign in again' }],
  );
}
