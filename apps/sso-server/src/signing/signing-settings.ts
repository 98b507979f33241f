import type { EnvironmentVariables } from '../config/environment';

/** How the service rotates its signing keys and how long its logout tokens live. */
export interface SigningSettings {
  /** A new key starts signing this often. */
  readonly rotationMs: number;
  /** A key is published this long before it signs, so verifiers' cached JWKS already hold it. */
  readonly publishLeadMs: number;
  /** `exp - iat` of a logout token. */
  readonly logoutTokenTtlMs: number;
  /**
   * How long an old key stays published after the next one activated: the longest token
   * lifetime plus a clock tolerance, so every token it signed has expired for every verifier.
   */
  readonly retireAfterMs: number;
}

/** Clock skew between instances and verifiers that retirement allows for. */
export const SIGNING_CLOCK_TOLERANCE_MS = 60 * 1000;

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;

export function signingSettingsFrom(
  vars: EnvironmentVariables,
  problems: string[],
): SigningSettings {
  const rotationMs = (vars.TESSERA_SIGNING_KEY_ROTATION_HOURS ?? 720) * HOUR;
  const publishLeadMs = (vars.TESSERA_SIGNING_KEY_PUBLISH_LEAD_SECONDS ?? 86400) * SECOND;
  const logoutTokenTtlMs = (vars.TESSERA_LOGOUT_TOKEN_TTL_SECONDS ?? 120) * SECOND;
  if (publishLeadMs >= rotationMs) {
    problems.push(
      'TESSERA_SIGNING_KEY_PUBLISH_LEAD_SECONDS must be shorter than TESSERA_SIGNING_KEY_ROTATION_HOURS',
    );
  }
  return {
    rotationMs,
    publishLeadMs,
    logoutTokenTtlMs,
    retireAfterMs: logoutTokenTtlMs + SIGNING_CLOCK_TOLERANCE_MS,
  };
}
