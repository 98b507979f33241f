import type { AppSessionView } from '@tessera/core';

/** JSON body of GET and PATCH /api/v1/session (documented in README and docs/session-api.md). */
export interface SessionViewBody {
  principal: { subject: string; realm: string; profile: Record<string, string> };
  session: {
    id: string;
    createdAt: string;
    lastAccessAt: string;
    idleExpiresAt: string;
    absoluteExpiresAt: string;
    expiresAt: string;
  };
  version: string;
  attributes: { shared: Record<string, unknown>; private: Record<string, unknown> };
}

export function presentSessionView(view: AppSessionView): SessionViewBody {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    principal: { ...view.principal, profile: { ...view.principal.profile } },
    session: {
      id: view.session.id,
      createdAt: iso(view.session.createdAt),
      lastAccessAt: iso(view.session.lastAccessAt),
      idleExpiresAt: iso(view.session.idleExpiresAt),
      absoluteExpiresAt: iso(view.session.absoluteExpiresAt),
      expiresAt: iso(view.session.expiresAt),
    },
    version: view.version,
    attributes: {
      shared: parseValues(view.attributes.shared),
      private: parseValues(view.attributes.private),
    },
  };
}

// Object.fromEntries defines own properties, so a key such as `__proto__` stays plain data.
function parseValues(values: ReadonlyMap<string, string>): Record<string, unknown> {
  return Object.fromEntries([...values].map(([key, json]) => [key, JSON.parse(json) as unknown]));
}
