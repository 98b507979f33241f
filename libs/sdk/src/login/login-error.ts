import { TesseraError } from '../errors';

/**
 * A login that came back without a usable answer. `code` is the service's OAuth error code
 * (`login_required`, `access_denied`...) or one of the app's own: `invalid_callback` (malformed
 * callback request), `state_mismatch` (no pending login of this browser matches: forged, replayed,
 * expired, or started in another browser), `issuer_mismatch` (RFC 9207 mix-up defence) and
 * `invalid_grant` (the service refused the code). `status` is what the app should answer.
 */
export class LoginError extends TesseraError {
  constructor(
    status: number,
    code: string,
    message: string,
    /** Where the user was going, when the pending login was found (a checked same-origin path). */
    readonly returnTo?: string,
    /** The `prompt` the login was started with: `none` marks a silent attempt. */
    readonly prompt?: 'none' | 'login',
    options?: { cause?: unknown },
  ) {
    super(status, code, message, options);
  }
}
