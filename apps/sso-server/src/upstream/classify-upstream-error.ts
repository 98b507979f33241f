import * as client from 'openid-client';
import type { UpstreamLoginError } from './upstream-login-errors';
import { CallbackNotVerified, ProviderRefused, ProviderUnavailable } from './upstream-login-errors';

/** Failures that mean the provider, not the answer, is at fault (openid-client error codes). */
const UNAVAILABLE_CODES = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/**
 * Maps what openid-client throws while completing a sign-in to the failure the user is shown:
 * an error the provider sent back (access_denied...), an answer that failed validation (state,
 * iss, code, ID token signature, aud, nonce, exp), or a provider that could not be reached.
 * Anything else is unexpected and is left to the caller's error handling.
 */
export function classifyUpstreamError(
  error: unknown,
  providerName: string,
): UpstreamLoginError | undefined {
  if (error instanceof client.AuthorizationResponseError) {
    return new ProviderRefused(
      providerName,
      bounded(error.error, 64),
      error.error_description === undefined ? undefined : bounded(error.error_description, 300),
    );
  }
  if (error instanceof client.ResponseBodyError) {
    const reason = `token endpoint answered ${error.status} ${error.error}`;
    return error.status >= 500
      ? new ProviderUnavailable(providerName, reason)
      : new CallbackNotVerified(reason);
  }
  if (error instanceof client.ClientError) {
    const reason = `${error.code ?? 'openid-client'}: ${messageWithCause(error)}`;
    return UNAVAILABLE_CODES.has(error.code ?? '')
      ? new ProviderUnavailable(providerName, reason)
      : new CallbackNotVerified(reason);
  }
  if (isNetworkFailure(error)) {
    return new ProviderUnavailable(providerName, messageWithCause(error as Error));
  }
  return undefined;
}

/** fetch() rejects with a TypeError when the connection fails, and a timeout aborts it. */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TypeError) return error.message === 'fetch failed';
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function messageWithCause(error: Error): string {
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/** Provider-chosen text shown on a page: printable, and short. */
function bounded(text: string, max: number): string {
  return text.replace(/\p{Cc}/gu, ' ').slice(0, max);
}
