import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import { isSessionLive } from '../session/expiry';
import type { SessionSettings } from '../session/session-settings';
import type { LoadedSession } from '../session/sso-session';
import { parseSsoToken, validatorMatches } from '../tokens/split-token';

/** The live SSO session that a browser's SSO cookie names, if any. */
export class ResolveSsoSession {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async execute(ssoToken: string | undefined): Promise<LoadedSession | undefined> {
    const parts = ssoToken === undefined ? undefined : parseSsoToken(ssoToken);
    if (!parts) return undefined;
    const loaded = await this.store.loadSession(parts.principalId, parts.sessionId);
    if (!loaded || !validatorMatches(parts.validator, loaded.session.validatorHash))
      return undefined;
    return isSessionLive(loaded.session, this.settings.timeouts, this.clock.now())
      ? loaded
      : undefined;
  }
}
