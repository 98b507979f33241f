import type { RegisteredApp } from '../apps/registered-app';
import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import { isTouchDue } from '../session/expiry';
import type { SessionSettings } from '../session/session-settings';
import type { AppSessionView } from './app-session-view';
import { appSessionViewOf } from './app-session-view';
import { openAppSession } from './open-app-session';

/**
 * The merged session for an app: one read by `_id`, plus a write of the access time only when
 * the last one is older than the touch interval.
 */
export class ReadAppSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async execute(token: string, app: RegisteredApp): Promise<AppSessionView> {
    const now = this.clock.now();
    const opened = await openAppSession(this.store, token, app, this.settings.timeouts, now);
    if (!isTouchDue(opened.session, this.settings.timeouts, now)) {
      return appSessionViewOf(opened, app, this.settings.timeouts);
    }
    await this.store.touchSession(
      opened.principal.id,
      opened.session.id,
      opened.principal.rev,
      now,
      opened.session.createdAt,
    );
    return appSessionViewOf(opened, app, this.settings.timeouts, { lastAccessAt: now });
  }
}
