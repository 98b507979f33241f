import type { Clock } from '../clock';
import type { EndCause } from '../logout/end-cause';
import type { LogoutNotification } from '../logout/logout-notification';
import type { PrincipalStore } from '../ports/principal-store';
import type { SessionSettings } from '../session/session-settings';
import type { CompleteEndedSessions } from './complete-ended-sessions';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface EndSsoSessionCommand {
  readonly principalId: string;
  readonly sessionId: string;
  readonly cause: EndCause;
}

export interface EndedSsoSession {
  /** False when the session had already ended or did not exist. */
  readonly ended: boolean;
  /** The back-channel notifications now in the outbox for this principal's ended sessions. */
  readonly notifications: readonly LogoutNotification[];
}

/**
 * The one way a session ends (logout at an app or at the service, an administrator, an
 * eviction, an expiry): one write marks it ended, so every app session token of it stops
 * working at once on every instance; then CompleteEndedSessions records the notifications and
 * removes it. Ending an ended session again only completes it.
 */
export class EndSsoSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly complete: CompleteEndedSessions,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async execute(command: EndSsoSessionCommand): Promise<EndedSsoSession> {
    // `known`: the principal as this read or write left it, so completing need not read it again.
    const { ended, known } = await retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const loaded = await this.store.loadPrincipal(command.principalId);
      const session = loaded?.sessions.get(command.sessionId);
      if (!loaded || !session || session.endedAt !== undefined) {
        return { ended: false, known: loaded };
      }
      const marked = await this.store.endSessions(
        loaded,
        [session.id],
        this.clock.now(),
        command.cause,
      );
      return marked ? { ended: true, known: marked } : LOST_RACE;
    });
    const notifications = await this.complete.execute(command.principalId, known);
    return { ended, notifications };
  }
}
