import { parseAdminToken } from '@tessera/core';
import type { EnvironmentVariables } from '../../config/environment';
import type { AdminSettings } from '../../config/service-settings';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Admin settings from the environment; a malformed bootstrap token is a start-up problem. */
export function adminSettingsFrom(vars: EnvironmentVariables, problems: string[]): AdminSettings {
  const bootstrapToken = vars.TESSERA_BOOTSTRAP_ADMIN_TOKEN?.trim();
  if (bootstrapToken !== undefined && !parseAdminToken(bootstrapToken)) {
    // The value is a secret: the message describes it without repeating it.
    problems.push(
      'TESSERA_BOOTSTRAP_ADMIN_TOKEN is not an admin token (tsk.<22 base64url characters>.<43 base64url characters>); ' +
        'print a fresh one with `npm run cli -- new-admin-token`',
    );
  }
  return {
    ...(bootstrapToken === undefined ? {} : { bootstrapToken }),
    auditRetentionMs: (vars.TESSERA_AUDIT_RETENTION_DAYS ?? 90) * DAY_MS,
  };
}
