import { TesseraError } from '../errors';

/** No principal of this id: it never existed, or its last session ended and it was removed. */
export class PrincipalNotFound extends TesseraError {
  readonly code = 'principal_not_found';

  constructor() {
    super('no principal with this id (it has no session)');
  }
}

/** No session of this id in this principal: unknown, or ended and already removed. */
export class SessionNotFound extends TesseraError {
  readonly code = 'session_not_found';

  constructor() {
    super('no session with this id for this principal');
  }
}
