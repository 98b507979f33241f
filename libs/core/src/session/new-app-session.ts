import type { RandomSource } from '../random';
import {
  formatAppSessionToken,
  hashValidator,
  newHandleId,
  newValidator,
} from '../tokens/split-token';
import type { AppSession } from './sso-session';

export interface NewAppSession {
  /** What is stored: the validator only as its hash. */
  readonly appSession: AppSession;
  /** The token the app receives, shown once. */
  tokenIn(principalId: string, sessionId: string): string;
}

/** A fresh app session handle for `clientId` and the token that names it. */
export function newAppSession(random: RandomSource, clientId: string, now: number): NewAppSession {
  const validator = newValidator(random);
  const appSession: AppSession = {
    handleId: newHandleId(random),
    clientId,
    validatorHash: hashValidator(validator),
    createdAt: now,
  };
  return {
    appSession,
    tokenIn: (principalId, sessionId) =>
      formatAppSessionToken({ principalId, sessionId, handleId: appSession.handleId, validator }),
  };
}
