import type { AdminCaller, AuditEntry } from '@tessera/core';
import type { Request } from 'express';

/** Route parameters that name what the audit log can filter on, lifted to the event's fields. */
const LIFTED = ['realm', 'principalId', 'sessionId', 'clientId'] as const;
const MAX_VALUE = 256;

/** `admin.action` for one call: who, which route, on what, and the status answered. */
export function adminActionEntry(request: Request, actor: AdminCaller, status: number): AuditEntry {
  // Raw path values, possibly refused by validation: kept as text, bounded.
  const targets: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.params ?? {})) {
    if (typeof value === 'string') targets[name] = value.slice(0, MAX_VALUE);
  }
  const lifted: Partial<Record<(typeof LIFTED)[number], string>> = {};
  for (const name of LIFTED) if (targets[name] !== undefined) lifted[name] = targets[name];
  const route = (request.route as { path?: unknown } | undefined)?.path;
  return {
    type: 'admin.action',
    ...lifted,
    ...(request.ip === undefined ? {} : { clientIp: request.ip }),
    details: {
      tokenId: actor.tokenId,
      tokenName: actor.name,
      method: request.method,
      route: typeof route === 'string' ? route : request.path.slice(0, MAX_VALUE),
      targets,
      status,
    },
  };
}
