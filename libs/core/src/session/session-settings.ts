import type { AttributeLimits } from '../attributes/attribute-limits';
import type { SessionTimeouts } from './expiry';

/** Everything the session rules take from configuration (validated in apps/sso-server/src/config). */
export interface SessionSettings {
  readonly timeouts: SessionTimeouts;
  readonly limits: AttributeLimits;
  readonly maxClockSkewMs: number;
  readonly tombstoneRetentionMs: number;
  /** Compare-and-set attempts before a write gives up with a conflict. */
  readonly maxWriteAttempts: number;
  /** How long an authorization code may be redeemed after it was issued. */
  readonly authorizationCodeTtlMs: number;
}
