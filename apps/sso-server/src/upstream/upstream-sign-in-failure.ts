import type { AuditEntry } from '@tessera/core';
import {
  CallbackNotVerified,
  NoPendingLogin,
  ProviderRefused,
  ProviderUnavailable,
  UnknownProvider,
  WrongRealm,
} from './upstream-login-errors';

/** Why an upstream sign-in failed, as the audit log names it. */
function reasonOf(error: unknown): { reason: string; detail?: string } {
  if (error instanceof ProviderRefused) return { reason: 'upstream_refused', detail: error.error };
  if (error instanceof CallbackNotVerified) {
    return { reason: 'upstream_unverified', detail: error.reason.slice(0, 300) };
  }
  if (error instanceof ProviderUnavailable) {
    return { reason: 'upstream_unavailable', detail: error.reason.slice(0, 300) };
  }
  if (error instanceof NoPendingLogin) return { reason: 'no_pending_login' };
  if (error instanceof WrongRealm) return { reason: 'wrong_realm' };
  if (error instanceof UnknownProvider) return { reason: 'unknown_provider' };
  return { reason: 'internal_error' };
}

/** `login.failed` for an upstream callback that did not end in a session. */
export function upstreamSignInFailed(
  realm: string,
  provider: string,
  clientIp: string | undefined,
  error: unknown,
): AuditEntry {
  const { reason, detail } = reasonOf(error);
  return {
    type: 'login.failed',
    // Values from the path, bounded: an unknown realm or provider is recorded as it was given.
    realm: realm.slice(0, 64),
    ...(clientIp === undefined ? {} : { clientIp }),
    details: {
      method: 'upstream',
      provider: provider.slice(0, 64),
      reason,
      ...(detail === undefined ? {} : { detail }),
    },
  };
}
