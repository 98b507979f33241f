import type { AppAttributeView } from '../attributes/app-view';
import { appViewOf, viewVersionOf } from '../attributes/app-view';
import type { SessionAttributes } from '../attributes/attribute-entry';
import type { RegisteredApp } from '../apps/registered-app';
import type { SessionExpiry, SessionTimeouts } from '../session/expiry';
import { expiryOf } from '../session/expiry';
import type { LoadedSession } from '../session/sso-session';

/** The merged session as one app sees it. */
export interface AppSessionView {
  readonly principal: {
    readonly subject: string;
    readonly realm: string;
    readonly profile: Readonly<Record<string, string>>;
  };
  readonly session: SessionExpiry & {
    readonly id: string;
    readonly createdAt: number;
    readonly lastAccessAt: number;
  };
  readonly version: string;
  readonly attributes: AppAttributeView;
}

export function appSessionViewOf(
  loaded: LoadedSession,
  app: RegisteredApp,
  timeouts: SessionTimeouts,
  overrides: { attributes?: SessionAttributes; lastAccessAt?: number } = {},
): AppSessionView {
  const { principal } = loaded;
  const session = { ...loaded.session, ...overrides };
  return {
    principal: { subject: principal.subject, realm: principal.realm, profile: principal.profile },
    session: {
      id: session.id,
      createdAt: session.createdAt,
      lastAccessAt: session.lastAccessAt,
      ...expiryOf(session, timeouts),
    },
    version: viewVersionOf(session.attributes, app.clientId, app.policy, principal.profileRev),
    attributes: appViewOf(session.attributes, app.clientId, app.policy),
  };
}
