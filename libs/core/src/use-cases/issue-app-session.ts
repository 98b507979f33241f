import type { Clock } from '../clock';
import { InvalidSessionToken } from '../errors';
import type { AppRegistry } from '../ports/app-registry';
import type { PrincipalStore } from '../ports/principal-store';
import type { RandomSource } from '../random';
import { isSessionLive } from '../session/expiry';
import type { SessionSettings } from '../session/session-settings';
import { newAppSession } from '../session/new-app-session';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface IssueAppSessionCommand {
  readonly principalId: string;
  readonly sessionId: string;
  readonly clientId: string;
}

export interface IssuedAppSession {
  /** Held by the app's backend (in its own HttpOnly cookie); shown once, stored only hashed. */
  readonly appSessionToken: string;
  readonly sessionId: string;
}

/** Records that an app joined a live SSO session and gives it a token bound to that app. */
export class IssueAppSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly apps: AppRegistry,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly settings: SessionSettings,
  ) {}

  async execute(command: IssueAppSessionCommand): Promise<IssuedAppSession> {
    const app = await this.apps.findByClientId(command.clientId);
    if (!app?.enabled) throw new InvalidSessionToken('the app is unknown or disabled');
    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const now = this.clock.now();
      const loaded = await this.store.loadSession(command.principalId, command.sessionId);
      if (!loaded || loaded.principal.realm !== app.realm) throw new InvalidSessionToken();
      if (!isSessionLive(loaded.session, this.settings.timeouts, now)) {
        throw new InvalidSessionToken();
      }
      const { appSession, tokenIn } = newAppSession(this.random, app.clientId, now);
      const { principal, session } = loaded;
      const stored = await this.store.addAppSession(
        principal.id,
        session.id,
        principal.rev,
        appSession,
        now,
        session.createdAt,
      );
      if (!stored) return LOST_RACE;
      return { sessionId: session.id, appSessionToken: tokenIn(principal.id, session.id) };
    });
  }
}
