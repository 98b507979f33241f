import type { AttributePolicy } from '../attributes/attribute-policy';

/** An application of a realm, as the session API needs it. */
export interface RegisteredApp {
  readonly clientId: string;
  readonly realm: string;
  /** Slow hash (argon2id) of the client secret. */
  readonly secretHash: string;
  readonly policy: AttributePolicy;
  readonly enabled: boolean;
}

/** Client ids are used inside stored field paths, so they are restricted to a safe alphabet. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
