import type { RequestSession } from '@tessera/sdk';
import { MAX_CART_ITEMS, MAX_ITEM_LENGTH } from '../cart';
import { CSRF_FIELD } from '../csrf';
import type { DemoConfig } from '../demo-config';
import type { SafeHtml } from '../html';
import { html } from '../html';
import type { Theme } from '../theme';
import { THEMES } from '../theme';
import { layout } from './layout';

export interface HomePageModel {
  readonly session: RequestSession;
  readonly cart: readonly string[];
  readonly theme: Theme;
  readonly csrfToken: string;
  /** A refused form, shown above the forms. */
  readonly problem?: string;
}

/** Who is signed in, the shared cart and this app's private theme, each with its forms. */
export function homePage(config: DemoConfig, model: HomePageModel): SafeHtml {
  const { session, cart, theme, csrfToken } = model;
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}" />`;
  const name = session.principal.profile.name;
  return layout(
    config,
    { title: 'Home', theme, csrfToken },
    html`
      ${model.problem !== undefined && html`<section class="problem"><p>${model.problem}</p></section>`}
      <section>
        <h2>Signed in</h2>
        <dl>
          <dt>Name</dt>
          <dd>${name ?? '(not given)'}</dd>
          <dt>Subject</dt>
          <dd>${session.principal.subject}</dd>
          <dt>Realm</dt>
          <dd>${session.principal.realm}</dd>
          <dt>Session ends</dt>
          <dd>${session.session.expiresAt || '(unknown)'}</dd>
        </dl>
      </section>
      <section>
        <h2>Cart</h2>
        <p class="muted">Shared: every app of the realm sees and changes the same cart.</p>
        ${
          cart.length === 0
            ? html`<p>The cart is empty.</p>`
            : html`<ul>
                ${cart.map((item) => html`<li>${item}</li>`)}
              </ul>`
        }
        <form method="post" action="/cart/items">
          ${csrf}
          <label>Item <input name="item" required maxlength="${MAX_ITEM_LENGTH}" /></label>
          <button type="submit" ${cart.length >= MAX_CART_ITEMS && html` disabled`}>Add</button>
        </form>
        <form method="post" action="/cart/empty">
          ${csrf}
          <button type="submit">Empty the cart</button>
        </form>
      </section>
      <section>
        <h2>Theme</h2>
        <p class="muted">Private to ${config.name}: the other apps keep their own.</p>
        <form method="post" action="/preferences/theme">
          ${csrf}
          <label
            >Theme
            <select name="theme">
              ${THEMES.map((option) => html`<option value="${option}" ${option === theme && html` selected`}>${option}</option>`)}
            </select></label
          >
          <button type="submit">Save</button>
        </form>
      </section>
    `,
  );
}
