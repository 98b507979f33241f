import type { RegisteredApp } from '../apps/registered-app';
import type { AuditTrail } from '../audit/audit-trail';
import { sessionEnded } from '../audit/session-ended-event';
import type { LogoutNotification } from '../logout/logout-notification';
import { notificationsFor } from '../logout/logout-notification';
import type { AppRegistry } from '../ports/app-registry';
import type { LogoutDeliveryTrigger } from '../ports/logout-delivery-trigger';
import { NoLogoutDeliveryTrigger } from '../ports/logout-delivery-trigger';
import type { LogoutOutbox } from '../ports/logout-outbox';
import type { PrincipalStore } from '../ports/principal-store';
import { expiryOf } from '../session/expiry';
import type { PrincipalWithSessions } from '../session/sso-session';
import type { SessionSettings } from '../session/session-settings';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

/**
 * The second half of ending sessions, idempotent and safe to run anywhere at any time: record
 * one logout notification per joined app in the outbox for every ended session of a principal,
 * then remove those sessions, and the principal's document once it is empty. Run right after a
 * session is marked ended, and by the sweeper for any end a crash left half done.
 */
export class CompleteEndedSessions {
  constructor(
    private readonly store: PrincipalStore,
    private readonly apps: AppRegistry,
    private readonly outbox: LogoutOutbox,
    private readonly settings: SessionSettings,
    private readonly trigger: LogoutDeliveryTrigger = new NoLogoutDeliveryTrigger(),
    /** Records `session.ended` once per session; absent in tests that do not look at the audit. */
    private readonly audit?: AuditTrail,
  ) {}

  /**
   * Answers the notifications recorded (again, if a previous run already had). `known` is the
   * principal as the caller's last write left it, which spares the first read; a retry reads.
   */
  async execute(principalId: string, known?: PrincipalWithSessions): Promise<LogoutNotification[]> {
    let copy = known;
    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const loaded = copy ?? (await this.store.loadPrincipal(principalId));
      copy = undefined;
      if (!loaded) return [];
      const { principal, sessions } = loaded;
      const ended = [...sessions.values()].filter((s) => s.endedAt !== undefined);
      const apps = await this.appsOf(
        ended.flatMap((s) => [...s.appSessions.values()].map((a) => a.clientId)),
      );
      const notifications = ended.flatMap((session) =>
        notificationsFor(
          principal,
          session,
          apps,
          expiryOf(session, this.settings.timeouts).absoluteExpiresAt,
        ),
      );
      // Recorded before anything is removed: a crash in between leaves the session for the sweeper.
      if (notifications.length > 0) {
        await this.trigger.recordAndStart(notifications, (lease) =>
          this.outbox.record(notifications, lease),
        );
      }
      // Before the removal too, with an id of its own per session, so a rerun records nothing new.
      for (const session of ended) await this.audit?.record(sessionEnded(principal, session));
      let current = loaded;
      if (ended.length > 0) {
        const removed = await this.store.removeSessions(
          loaded,
          ended.map((s) => s.id),
        );
        if (!removed) return LOST_RACE;
        current = removed;
      }
      if (current.sessions.size === 0) {
        await this.store.deletePrincipalIfEmpty(principal.id, current.principal.rev);
      }
      return notifications;
    });
  }

  private async appsOf(clientIds: string[]): Promise<Map<string, RegisteredApp>> {
    const apps = new Map<string, RegisteredApp>();
    for (const clientId of new Set(clientIds)) {
      const app = await this.apps.findByClientId(clientId);
      if (app) apps.set(clientId, app);
    }
    return apps;
  }
}
