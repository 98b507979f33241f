import { TesseraError } from '../errors';

/** A new sign-in would exceed the realm's session limit under the `invalidate-after` strategy. */
export class TooManySessions extends TesseraError {
  readonly code = 'too_many_sessions';

  constructor(readonly maxSessions: number) {
    super(
      `you are already signed in on ${maxSessions} ${maxSessions === 1 ? 'device' : 'devices'}, the most allowed; sign out on one of them and try again`,
    );
  }
}
