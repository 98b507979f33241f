import type { AppRegistry } from '@tessera/core';
import type { PendingLogin } from '../login/pending-login';
import { sameSecret } from './login-binding';
import { NoPendingLogin, StartNotAllowed, WrongRealm } from './upstream-login-errors';

/**
 * What must hold before an upstream sign-in starts or completes, in order. The csrf check is
 * what stops a third-party page from starting a sign-in in the user's browser: only the login
 * page, which read the pending login, knows its token.
 */
export function pendingLoginPresent(pending: PendingLogin | undefined): PendingLogin {
  if (!pending) throw new NoPendingLogin();
  return pending;
}

export function csrfMatches(presented: unknown, pending: PendingLogin): void {
  if (
    typeof presented !== 'string' ||
    presented.length > 256 ||
    !sameSecret(presented, pending.csrf)
  ) {
    throw new StartNotAllowed();
  }
}

/** The app waiting for this sign-in must belong to the realm whose provider is used. */
export async function pendingLoginInRealm(
  pending: PendingLogin,
  realm: string,
  apps: AppRegistry,
): Promise<void> {
  const app = await apps.findByClientId(pending.clientId);
  if (!app?.enabled || app.realm !== realm) throw new WrongRealm();
}
