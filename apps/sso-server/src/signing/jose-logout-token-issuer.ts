import type { Clock, LogoutNotification, RandomSource } from '@tessera/core';
import { LogoutTokenIssuer, randomId } from '@tessera/core';
import { SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys';

/** The `events` member that makes a JWT a back-channel logout token (OIDC BCL 1.0, 2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenOptions {
  /** The service's public origin: `iss`, and what verifiers compare it with. */
  readonly issuer: string;
  readonly ttlMs: number;
}

/**
 * Signs OpenID Connect Back-Channel Logout 1.0 logout tokens with the current key. `typ`
 * `logout+jwt` keeps the token from being mistaken for an ID token; it never has a `nonce`.
 */
export class JoseLogoutTokenIssuer extends LogoutTokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly options: LogoutTokenOptions,
  ) {
    super();
  }

  async issue(notification: LogoutNotification): Promise<string> {
    const now = this.clock.now();
    const key = await this.keys.current(now);
    const iat = Math.floor(now / 1000);
    return (
      new SignJWT({
        sid: notification.sessionId,
        events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'logout+jwt' })
        .setIssuer(this.options.issuer)
        .setAudience(notification.clientId)
        .setSubject(notification.subject)
        .setIssuedAt(iat)
        .setExpirationTime(iat + Math.ceil(this.options.ttlMs / 1000))
        // 128 random bits: receivers use it to ignore a replayed token.
        .setJti(randomId(this.random, 16))
        .sign(key.privateKey)
    );
  }
}
