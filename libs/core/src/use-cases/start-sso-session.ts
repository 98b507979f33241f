import { emptyAttributes } from '../attributes/attribute-entry';
import type { Clock } from '../clock';
import type { ConcurrentSessionPolicies } from '../policies/concurrent-sessions';
import { decideConcurrentSessions } from '../policies/concurrent-sessions';
import { TooManySessions } from '../policies/too-many-sessions';
import type { AddSessionOptions, PrincipalStore } from '../ports/principal-store';
import type { RandomSource } from '../random';
import { expiryOf, isSessionLive } from '../session/expiry';
import type { SessionSettings } from '../session/session-settings';
import type { ClientInfo, SsoSession } from '../session/sso-session';
import {
  formatSsoToken,
  hashValidator,
  newPrincipalId,
  newSessionId,
  newValidator,
} from '../tokens/split-token';
import type { CompleteEndedSessions } from './complete-ended-sessions';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface StartSsoSessionCommand {
  readonly realm: string;
  /** Stable subject: a local account id or `provider:sub` from an upstream identity provider. */
  readonly subject: string;
  readonly profile: Readonly<Record<string, string>>;
  readonly client: ClientInfo;
}

export interface StartedSsoSession {
  readonly principalId: string;
  readonly sessionId: string;
  /** The browser's SSO token (goes in the service's own cookie); shown once, stored only hashed. */
  readonly ssoToken: string;
  /** Sessions the realm's concurrent-session policy ended to make room (`invalidate-before`). */
  readonly evictedSessionIds: readonly string[];
}

/**
 * Signs a principal in: creates its document if needed and adds a fresh SSO session with new
 * ids (never reusing a presented one, so there is no fixation). The realm's concurrent-session
 * policy is decided on the revision read and written with the same compare-and-set, so racing
 * sign-ins cannot both pass the limit. The login flow calls this.
 */
export class StartSsoSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly complete: CompleteEndedSessions,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly settings: SessionSettings,
    private readonly policies: ConcurrentSessionPolicies,
  ) {}

  async execute(command: StartSsoSessionCommand): Promise<StartedSsoSession> {
    const policy = this.policies(command.realm);
    const started = await retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const now = this.clock.now();
      const { principal, sessions } = await this.store.findOrCreatePrincipal({
        newId: newPrincipalId(this.random),
        realm: command.realm,
        subject: command.subject,
        now,
      });
      const live = [...sessions.values()].filter((s) =>
        isSessionLive(s, this.settings.timeouts, now),
      );
      const decision = decideConcurrentSessions(policy, live);
      if (decision.kind === 'refuse') throw new TooManySessions(decision.maxSessions);
      const evicted = decision.kind === 'evict' ? decision.sessionIds : [];

      const validator = newValidator(this.random);
      const session: SsoSession = {
        id: newSessionId(this.random),
        validatorHash: hashValidator(validator),
        createdAt: now,
        lastAccessAt: now,
        client: command.client,
        appSessions: new Map(),
        codes: new Map(),
        attributes: emptyAttributes(),
      };
      const options: AddSessionOptions = {
        ...(sameProfile(principal.profile, command.profile) ? {} : { profile: command.profile }),
        expiresAt: expiryOf(session, this.settings.timeouts).expiresAt,
        ...(evicted.length > 0
          ? { end: { sessionIds: evicted, endedAt: now, cause: 'evicted' as const } }
          : {}),
      };
      if (!(await this.store.addSession(principal.id, principal.rev, session, options))) {
        return LOST_RACE;
      }
      return {
        principalId: principal.id,
        sessionId: session.id,
        ssoToken: formatSsoToken({ principalId: principal.id, sessionId: session.id, validator }),
        evictedSessionIds: evicted,
      };
    });
    if (started.evictedSessionIds.length > 0) await this.notifyEvicted(started.principalId);
    return started;
  }

  /**
   * The evicted sessions already stopped working with the write above; this records their apps'
   * notifications and removes them. A failure here must not undo a successful sign-in: the
   * write lowered `sweepAfter`, so the sweeper completes the end instead.
   */
  private async notifyEvicted(principalId: string): Promise<void> {
    try {
      await this.complete.execute(principalId);
    } catch {
      // Left to the sweeper (see above).
    }
  }
}

function sameProfile(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
