import type { SessionTimeouts } from '@tessera/core';

/** Injection token: the session timeouts the principal summary's `liveUntil` is computed with. */
export const PRINCIPAL_SUMMARY_TIMEOUTS = Symbol('PrincipalSummaryTimeouts');

/** The service's own defaults (TESSERA_IDLE_TIMEOUT_SECONDS and friends); the service passes its settings. */
export const DEFAULT_SUMMARY_TIMEOUTS: SessionTimeouts = {
  idleTimeoutMs: 30 * 60 * 1000,
  absoluteLifetimeMs: 12 * 60 * 60 * 1000,
  touchIntervalMs: 5 * 1000,
};
