import type { AttributePolicy } from '../attributes/attribute-policy';

/** An application of a realm, as the session API needs it. */
export interface RegisteredApp {
  readonly clientId: string;
  readonly realm: string;
  /** Slow hash (argon2id) of the client secret. */
  readonly secretHash: string;
  readonly policy: AttributePolicy;
  readonly enabled: boolean;
  /** Exact redirect URIs of the login flow; anything else is refused without a redirect. */
  readonly redirectUris: readonly string[];
  /** Where single logout POSTs the signed logout token. */
  readonly backchannelLogoutUri?: string;
  /** Loaded in a hidden frame on logout at the service (best effort). */
  readonly frontchannelLogoutUri?: string;
  readonly postLogoutRedirectUris: readonly string[];
}

/** Client ids are used inside stored field paths, so they are restricted to a safe alphabet. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
