import type { RegisteredApp } from '../apps/registered-app';
import type { AuthorizationCode } from '../authorization/authorization-code';
import {
  excessPendingCodes,
  forgettableCodes,
  MAX_PENDING_CODES_PER_SESSION,
} from '../authorization/authorization-code';
import { InvalidRequest, LoginRequired } from '../authorization/oauth-errors';
import { isS256Challenge } from '../authorization/pkce';
import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import type { RandomSource } from '../random';
import { isSessionLive } from '../session/expiry';
import type { SessionSettings } from '../session/session-settings';
import {
  formatAuthorizationCode,
  hashValidator,
  newCodeId,
  newValidator,
} from '../tokens/split-token';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface IssueAuthorizationCodeCommand {
  readonly principalId: string;
  readonly sessionId: string;
  readonly app: RegisteredApp;
  /** Already checked against the app's registered redirect URIs. */
  readonly redirectUri: string;
  readonly codeChallenge: string;
}

/**
 * Records that an app is joining a live SSO session by issuing it a single-use code, bound to
 * the app, the redirect URI and the PKCE challenge. Codes used or expired long ago are
 * forgotten in the same write.
 */
export class IssueAuthorizationCode {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly settings: SessionSettings,
  ) {}

  async execute(command: IssueAuthorizationCodeCommand): Promise<string> {
    if (!command.app.redirectUris.includes(command.redirectUri)) {
      throw new InvalidRequest('redirect_uri is not registered for this client');
    }
    if (!isS256Challenge(command.codeChallenge)) {
      throw new InvalidRequest('code_challenge must be an S256 challenge');
    }
    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const now = this.clock.now();
      const loaded = await this.store.loadSession(command.principalId, command.sessionId);
      if (
        !loaded ||
        loaded.principal.realm !== command.app.realm ||
        !isSessionLive(loaded.session, this.settings.timeouts, now)
      ) {
        throw new LoginRequired();
      }
      const validator = newValidator(this.random);
      const code: AuthorizationCode = {
        id: newCodeId(this.random),
        validatorHash: hashValidator(validator),
        clientId: command.app.clientId,
        redirectUri: command.redirectUri,
        codeChallenge: command.codeChallenge,
        issuedAt: now,
        expiresAt: now + this.settings.authorizationCodeTtlMs,
      };
      const { principal, session } = loaded;
      const forget = [
        ...new Set([
          ...forgettableCodes(session.codes, now),
          ...excessPendingCodes(session.codes, now, MAX_PENDING_CODES_PER_SESSION - 1),
        ]),
      ];
      if (
        !(await this.store.addAuthorizationCode(
          principal.id,
          session.id,
          principal.rev,
          code,
          forget,
        ))
      ) {
        return LOST_RACE;
      }
      return formatAuthorizationCode({
        principalId: principal.id,
        sessionId: session.id,
        codeId: code.id,
        validator,
      });
    });
  }
}
