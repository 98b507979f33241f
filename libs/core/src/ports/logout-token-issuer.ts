import type { LogoutNotification } from '../logout/logout-notification';

/**
 * Makes the signed OpenID Connect Back-Channel Logout 1.0 logout token for one notification
 * (`typ: logout+jwt`; `iss`, `aud` = the app's client id, `iat`, short `exp`, `jti`, `sid`,
 * `sub`, and the back-channel logout `events` member; never `nonce`), signed with the
 * service's current key, which its JWKS publishes.
 */
export abstract class LogoutTokenIssuer {
  abstract issue(notification: LogoutNotification): Promise<string>;
}
