import type { DeliveryAttempt } from '@tessera/core';
import { request } from 'undici';

/** Longest response text kept in `lastError`, so a chatty receiver cannot bloat the outbox. */
const MAX_ERROR_LENGTH = 300;

/**
 * POSTs one logout token as `logout_token=` form data (OIDC Back-Channel Logout 1.0, 2.5).
 * Only 200 and 204 count as delivered. undici's `request` never follows redirects (that takes
 * its redirect interceptor), so a 3xx is a failure and the token goes nowhere unregistered.
 */
export async function postLogoutToken(
  uri: string,
  token: string,
  signal: AbortSignal,
): Promise<DeliveryAttempt> {
  try {
    const response = await request(uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }).toString(),
      signal,
    });
    // The body is not needed; dumping it frees the connection for reuse.
    await response.body.dump();
    if (response.statusCode === 200 || response.statusCode === 204) return { ok: true };
    return { ok: false, error: `HTTP ${response.statusCode}` };
  } catch (error) {
    return { ok: false, error: describe(error, signal) };
  }
}

function describe(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  const { message, code } = error as { message?: string; code?: string };
  const text = [code, message].filter(Boolean).join(': ') || String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
