import type { RegisteredApp } from '../apps/registered-app';
import type { SessionTimeouts } from '../session/expiry';
import { isSessionLive } from '../session/expiry';
import type { LoadedSession } from '../session/sso-session';
import type { AuthorizationCodeParts } from '../tokens/split-token';
import { validatorMatches } from '../tokens/split-token';
import type { AuthorizationCode } from './authorization-code';
import { InvalidGrant } from './oauth-errors';
import { verifierMatches } from './pkce';

/** Everything a check of POST /token may look at. */
export interface RedeemContext {
  readonly parts: AuthorizationCodeParts;
  readonly loaded: LoadedSession | undefined;
  readonly code: AuthorizationCode | undefined;
  readonly app: RegisteredApp;
  readonly redirectUri: string;
  readonly codeVerifier: string;
  readonly now: number;
  readonly timeouts: SessionTimeouts;
}

/** Thrown by the replay check: the use case ends the app session issued from the code first. */
export class CodeReplayed extends InvalidGrant {
  constructor(readonly replayed: AuthorizationCode) {
    super('the code was already used; the app session issued from it has been ended');
  }
}

type RedeemCheck = (ctx: RedeemContext) => void;

/** Unknown, forged or forgotten codes all get the same answer. */
const codeIsGenuine: RedeemCheck = ({ code, parts }) => {
  if (!code || !validatorMatches(parts.validator, code.validatorHash)) {
    throw new InvalidGrant('the code is not valid');
  }
};

const codeWasIssuedToThisClient: RedeemCheck = ({ code, app }) => {
  if (code!.clientId !== app.clientId)
    throw new InvalidGrant('the code was issued to another client');
};

/** A second use means the code leaked: RFC 6749 section 4.1.2 says to revoke what it gave. */
const codeIsUnused: RedeemCheck = ({ code }) => {
  if (code!.redeemedAt !== undefined) throw new CodeReplayed(code!);
};

const codeIsFresh: RedeemCheck = ({ code, now }) => {
  if (code!.expiresAt <= now) throw new InvalidGrant('the code has expired');
};

const redirectUriIsTheSame: RedeemCheck = ({ code, redirectUri }) => {
  if (code!.redirectUri !== redirectUri) {
    throw new InvalidGrant('redirect_uri differs from the one the code was issued for');
  }
};

const verifierMatchesChallenge: RedeemCheck = ({ code, codeVerifier }) => {
  if (!verifierMatches(codeVerifier, code!.codeChallenge)) {
    throw new InvalidGrant('code_verifier does not match the code_challenge');
  }
};

const sessionIsLive: RedeemCheck = ({ loaded, now, timeouts }) => {
  if (!isSessionLive(loaded!.session, timeouts, now)) {
    throw new InvalidGrant('the sign-in the code was issued for has ended');
  }
};

/** The checks of a code redemption, in the order they run. */
export const REDEEM_CHECKS: readonly RedeemCheck[] = [
  codeIsGenuine,
  codeWasIssuedToThisClient,
  codeIsUnused,
  codeIsFresh,
  redirectUriIsTheSame,
  verifierMatchesChallenge,
  sessionIsLive,
];
