import { emptyAttributes } from '../attributes/attribute-entry';
import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import type { RandomSource } from '../random';
import type { ClientInfo, SsoSession } from '../session/sso-session';
import {
  formatSsoToken,
  hashValidator,
  newPrincipalId,
  newSessionId,
  newValidator,
} from '../tokens/split-token';
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
}

/**
 * Signs a principal in: creates its document if needed and adds a fresh SSO session with new
 * ids (never reusing a presented one, so there is no fixation). The login flow calls this.
 */
export class StartSsoSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly maxAttempts: number,
  ) {}

  async execute(command: StartSsoSessionCommand): Promise<StartedSsoSession> {
    return retryOptimistically(this.maxAttempts, async () => {
      const now = this.clock.now();
      const { principal } = await this.store.findOrCreatePrincipal({
        newId: newPrincipalId(this.random),
        realm: command.realm,
        subject: command.subject,
        now,
      });
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
      const profile = sameProfile(principal.profile, command.profile) ? undefined : command.profile;
      if (!(await this.store.addSession(principal.id, principal.rev, session, profile))) {
        return LOST_RACE;
      }
      return {
        principalId: principal.id,
        sessionId: session.id,
        ssoToken: formatSsoToken({ principalId: principal.id, sessionId: session.id, validator }),
      };
    });
  }
}

function sameProfile(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
