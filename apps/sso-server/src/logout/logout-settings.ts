import type { LogoutDeliverySettings } from '@tessera/core';
import type { EnvironmentVariables } from '../config/environment';

const SECOND = 1000;

/** The dispatcher's settings; milliseconds where tests need sub-second values. */
export function logoutSettingsFrom(
  vars: EnvironmentVariables,
  problems: string[],
): LogoutDeliverySettings {
  const settings: LogoutDeliverySettings = {
    dispatchIntervalMs: vars.TESSERA_LOGOUT_DISPATCH_INTERVAL_MS ?? 1000,
    parallelism: vars.TESSERA_LOGOUT_PARALLELISM ?? 128,
    leaseMs: vars.TESSERA_LOGOUT_LEASE_MS ?? 60 * SECOND,
    backoffBaseMs: vars.TESSERA_LOGOUT_BACKOFF_BASE_MS ?? 2 * SECOND,
    backoffCapMs: vars.TESSERA_LOGOUT_BACKOFF_CAP_MS ?? 10 * 60 * SECOND,
    requestTimeoutMs: vars.TESSERA_LOGOUT_REQUEST_TIMEOUT_MS ?? 10 * SECOND,
    maxDeliveryMs: (vars.TESSERA_LOGOUT_DEADLINE_SECONDS ?? 24 * 60 * 60) * SECOND,
    retentionMs: (vars.TESSERA_LOGOUT_RETENTION_DAYS ?? 7) * 24 * 60 * 60 * SECOND,
  };
  if (settings.retentionMs <= settings.maxDeliveryMs) {
    problems.push(
      'TESSERA_LOGOUT_RETENTION_DAYS must be longer than TESSERA_LOGOUT_DEADLINE_SECONDS',
    );
  }
  if (settings.backoffBaseMs > settings.backoffCapMs) {
    problems.push('TESSERA_LOGOUT_BACKOFF_BASE_MS must not exceed TESSERA_LOGOUT_BACKOFF_CAP_MS');
  }
  // A request must end well inside its lease, or an instance that takes the lease over
  // could send the same notification while the first request is still open.
  if (settings.leaseMs < 2 * settings.requestTimeoutMs) {
    problems.push(
      'TESSERA_LOGOUT_LEASE_MS must be at least twice TESSERA_LOGOUT_REQUEST_TIMEOUT_MS',
    );
  }
  return settings;
}
