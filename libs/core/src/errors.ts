/**
 * Domain errors. Each failure a caller must handle has its own class with a stable code;
 * the HTTP layer maps them to statuses in one place (apps/sso-server/src/http/error-filter.ts).
 */
export abstract class TesseraError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The session token is unknown, malformed, ended, expired, or belongs to another app. */
export class InvalidSessionToken extends TesseraError {
  readonly code = 'invalid_session';

  constructor(message = 'the session token is not valid for this app, or the session has ended') {
    super(message);
  }
}

/** Client id or secret is missing or wrong, or the app is disabled. */
export class ClientAuthenticationFailed extends TesseraError {
  readonly code = 'invalid_client';

  constructor(message = 'client authentication failed') {
    super(message);
  }
}

/** An attribute operation is malformed in a way a DTO cannot express (for example an unpaired surrogate in a key). */
export class InvalidAttributeOperation extends TesseraError {
  readonly code = 'invalid_request';
}

export type LimitKind = 'size' | 'count';

/** A write would break a configured attribute limit; the whole batch is refused. */
export class AttributeLimitExceeded extends TesseraError {
  readonly code = 'attribute_limit_exceeded';

  constructor(
    readonly limit: string,
    readonly kind: LimitKind,
    message: string,
  ) {
    super(message);
  }
}

/** If-Match named a version that is not the current one. */
export class VersionMismatch extends TesseraError {
  readonly code = 'version_mismatch';

  constructor(readonly currentVersion: string) {
    super('the session changed since the version given in If-Match');
  }
}

/** Optimistic writes kept colliding with other writers; the caller may retry. */
export class ConcurrentUpdateConflict extends TesseraError {
  readonly code = 'conflict';

  constructor() {
    super('the session is being changed by many writers at once; retry the request');
  }
}

/** The service is at capacity for slow work (password hashing); the caller may retry shortly. */
export class TemporarilyUnavailable extends TesseraError {
  readonly code = 'temporarily_unavailable';
}
