import type { RegisteredApp } from '../apps/registered-app';
import { InvalidGrant } from '../authorization/oauth-errors';
import type { RedeemContext } from '../authorization/redeem-checks';
import { CodeReplayed, REDEEM_CHECKS } from '../authorization/redeem-checks';
import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import type { RandomSource } from '../random';
import type { SessionSettings } from '../session/session-settings';
import type { LoadedSession } from '../session/sso-session';
import { newAppSession } from '../session/new-app-session';
import { parseAuthorizationCode } from '../tokens/split-token';
import type { AppSessionView } from './app-session-view';
import { appSessionViewOf } from './app-session-view';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface RedeemAuthorizationCodeCommand {
  readonly code: string;
  /** The client that authenticated at POST /token. */
  readonly app: RegisteredApp;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

export interface RedeemedAuthorizationCode {
  readonly appSessionToken: string;
  readonly view: AppSessionView;
}

/**
 * Exchanges a code for an app session (POST /token): the checks in REDEEM_CHECKS, then one
 * write that marks the code used and adds the app session. A code presented a second time
 * ends the app session it gave and is refused.
 */
export class RedeemAuthorizationCode {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly settings: SessionSettings,
  ) {}

  async execute(command: RedeemAuthorizationCodeCommand): Promise<RedeemedAuthorizationCode> {
    const parts = parseAuthorizationCode(command.code);
    if (!parts) throw new InvalidGrant('the code is not valid');
    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const now = this.clock.now();
      const loaded = await this.store.loadSession(parts.principalId, parts.sessionId);
      const ctx: RedeemContext = {
        parts,
        loaded,
        code: loaded?.session.codes.get(parts.codeId),
        app: command.app,
        redirectUri: command.redirectUri,
        codeVerifier: command.codeVerifier,
        now,
        timeouts: this.settings.timeouts,
      };
      try {
        for (const check of REDEEM_CHECKS) check(ctx);
      } catch (error) {
        if (error instanceof CodeReplayed && !(await this.endIssuedSession(loaded!, error))) {
          return LOST_RACE;
        }
        throw error;
      }
      return this.redeem(loaded!, parts.codeId, command.app, now);
    });
  }

  private async redeem(loaded: LoadedSession, codeId: string, app: RegisteredApp, now: number) {
    const { appSession, tokenIn } = newAppSession(this.random, app.clientId, now);
    const { principal, session } = loaded;
    const stored = await this.store.redeemAuthorizationCode(
      principal.id,
      session.id,
      principal.rev,
      codeId,
      now,
      appSession,
      session.createdAt,
    );
    if (!stored) return LOST_RACE;
    return {
      appSessionToken: tokenIn(principal.id, session.id),
      view: appSessionViewOf(loaded, app, this.settings.timeouts, {
        lastAccessAt: Math.max(now, session.lastAccessAt),
      }),
    };
  }

  /** False when the write lost a race (the caller rereads); true when nothing is left to end. */
  private async endIssuedSession(loaded: LoadedSession, replay: CodeReplayed): Promise<boolean> {
    const handle = replay.replayed.appSessionHandle;
    if (handle === undefined || !loaded.session.appSessions.has(handle)) return true;
    const { principal, session } = loaded;
    return this.store.removeAppSession(principal.id, session.id, principal.rev, handle);
  }
}
