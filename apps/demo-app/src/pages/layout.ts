import type { DemoConfig } from '../demo-config';
import type { SafeHtml } from '../html';
import { html } from '../html';
import type { Theme } from '../theme';

export interface LayoutOptions {
  readonly title: string;
  readonly theme?: Theme;
  /** Shown only to signed-in users: a logout button needs the session's CSRF token. */
  readonly csrfToken?: string;
}

/** The page shell: app name, links to the other apps of the realm, and the logout button. */
export function layout(config: DemoConfig, options: LayoutOptions, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · ${config.name}</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body class="theme-${options.theme ?? 'light'}">
        <header>
          <h1>${config.name}</h1>
          <nav>
            ${config.peers.map((peer) => html`<a href="${peer.url}">${peer.name}</a>`)}
            ${
              options.csrfToken !== undefined &&
              html`<form class="inline" method="post" action="/logout">
                <input type="hidden" name="_csrf" value="${options.csrfToken}" />
                <button type="submit">Log out</button>
              </form>`
            }
          </nav>
        </header>
        <main>${content}</main>
      </body>
    </html> `;
}
