import { escapeHtml, page } from '../pages/html';

export interface LoginPageModel {
  /** The app the user is signing in to (its client id). */
  readonly appName: string;
  readonly csrf: string;
  readonly username?: string;
  readonly error?: string;
  readonly providers: readonly { readonly displayName: string; readonly href: string }[];
}

/** The sign-in form: works without JavaScript, carries the pending login's CSRF token. */
export function renderLoginPage(model: LoginPageModel): string {
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>\n` : '';
  const providers =
    model.providers.length === 0
      ? ''
      : `<div class="providers">\n<p class="muted">Or sign in with</p>\n${model.providers
          .map(
            (p) =>
              `<a class="button" href="${escapeHtml(p.href)}">${escapeHtml(p.displayName)}</a>`,
          )
          .join('\n')}\n</div>\n`;
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p class="muted">to continue to ${escapeHtml(model.appName)}</p>
${error}<form method="post" action="/login">
<input type="hidden" name="csrf" value="${escapeHtml(model.csrf)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required value="${escapeHtml(model.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
${providers}`,
  );
}
