import { LoginError } from './login-error';
import type { PendingLogin } from './pending-login';
import { sameSecret } from './pending-login';

/**
 * The checks of the login callback (the authorization response, RFC 6749 4.1.2), in the order
 * they run. Nothing is sent to the service unless all pass: a forged or replayed callback must
 * not cost a token exchange, nor reach it with an attacker's code.
 */
export interface CallbackContext {
  readonly params: URLSearchParams;
  /** The pending login kept in the cookie named after `state`, if genuine and unexpired. */
  readonly pending: PendingLogin | undefined;
  /** The service's issuer identifier (its origin). */
  readonly issuer: string;
}

type CallbackCheck = (ctx: CallbackContext) => void;

const SINGLE_PARAMETERS = ['state', 'code', 'error', 'error_description', 'iss'];
const MAX_PARAMETER_LENGTH = 4096;

/** Repeated parameters make "which one counts" ambiguous between us and the service: refuse. */
const parametersAreSingle: CallbackCheck = ({ params }) => {
  for (const name of SINGLE_PARAMETERS) {
    const values = params.getAll(name);
    if (values.length > 1 || (values[0]?.length ?? 0) > MAX_PARAMETER_LENGTH) {
      throw new LoginError(400, 'invalid_callback', `the callback has a malformed ${name}`);
    }
  }
  if (!params.get('state'))
    throw new LoginError(400, 'invalid_callback', 'the callback has no state');
};

/** CSRF defence of the redirect (RFC 6749 10.12): this browser must have started this login. */
const stateMatchesPendingLogin: CallbackCheck = ({ params, pending }) => {
  if (pending === undefined || !sameSecret(pending.state, params.get('state') ?? '')) {
    throw new LoginError(
      400,
      'state_mismatch',
      'this login was not started in this browser, was already finished, or took too long',
    );
  }
};

/** Mix-up defence (RFC 9207): the answer must come from the service we sent the user to. */
const issuerIsTheService: CallbackCheck = ({ params, issuer, pending }) => {
  const iss = params.get('iss');
  if (iss === null || !sameIssuer(iss, issuer)) {
    throw new LoginError(
      400,
      'issuer_mismatch',
      'the login answer does not come from the expected service',
      pending?.returnTo,
      pending?.prompt,
    );
  }
};

/** The service refused (prompt=none with nobody signed in, the user cancelled...). */
const serviceReportedNoError: CallbackCheck = ({ params, pending }) => {
  const error = params.get('error');
  if (error === null) return;
  const code = /^[a-z_]{1,64}$/.test(error) ? error : 'invalid_response';
  throw new LoginError(
    statusForServiceError(code),
    code,
    printable(params.get('error_description')) || `the service answered ${code}`,
    pending?.returnTo,
    pending?.prompt,
  );
};

const codeIsPresent: CallbackCheck = ({ params, pending }) => {
  if (!params.get('code')) {
    throw new LoginError(
      400,
      'invalid_callback',
      'the callback has neither a code nor an error',
      pending?.returnTo,
      pending?.prompt,
    );
  }
};

export const CALLBACK_CHECKS: readonly CallbackCheck[] = [
  parametersAreSingle,
  stateMatchesPendingLogin,
  issuerIsTheService,
  serviceReportedNoError,
  codeIsPresent,
];

/** Runs every check; on success the login can be finished with this code and verifier. */
export function checkCallback(ctx: CallbackContext): { code: string; pending: PendingLogin } {
  for (const check of CALLBACK_CHECKS) check(ctx);
  return { code: ctx.params.get('code')!, pending: ctx.pending! };
}

/**
 * Issuer identifiers compare as URLs, so `https://sso.example.com` and `https://sso.example.com/`
 * are one issuer; any other difference (scheme, host, port, path) is a different one.
 */
export function sameIssuer(presented: string, expected: string): boolean {
  try {
    return new URL(presented).href === new URL(expected).href;
  } catch {
    return false;
  }
}

function statusForServiceError(code: string): number {
  if (code === 'access_denied') return 403;
  if (code.endsWith('_required')) return 401; // login_required, interaction_required, consent_required
  return 400;
}

/** A description for humans: printable ASCII only, and short. */
function printable(text: string | null): string {
  return (text ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 300);
}
