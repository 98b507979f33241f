import type { RegisteredApp } from '../apps/registered-app';
import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import type { SessionSettings } from '../session/session-settings';
import type { EndedSsoSession, EndSsoSession } from './end-sso-session';
import { openAppSession } from './open-app-session';

/**
 * Logout from an app (DELETE /api/v1/session, the SDK's logout): the app's token names the SSO
 * session, and the whole SSO session ends, in every app that joined it.
 */
export class LogOutAppSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly endSession: EndSsoSession,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async execute(token: string, app: RegisteredApp): Promise<EndedSsoSession> {
    const opened = await openAppSession(
      this.store,
      token,
      app,
      this.settings.timeouts,
      this.clock.now(),
    );
    return this.endSession.execute({
      principalId: opened.principal.id,
      sessionId: opened.session.id,
      cause: 'logout',
    });
  }
}
