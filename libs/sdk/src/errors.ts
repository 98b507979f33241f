/**
 * Typed errors for everything the service can answer with, plus network failures.
 * Apps branch on the class (or on `code`, which is the service's stable error code).
 */
export class TesseraError extends Error {
  constructor(
    /** HTTP status of the service's answer; 0 when no answer arrived (network error, timeout). */
    readonly status: number,
    /** The service's stable error code, such as `invalid_session`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Whether sending the same request again may succeed (writes carry their call times, so replays are safe). */
  get retryable(): boolean {
    return false;
  }
}

/** The session token is unknown, ended, expired, or belongs to another app. The SDK drops its local state. */
export class InvalidSessionError extends TesseraError {
  constructor(message = 'the session token is not valid for this app, or the session has ended') {
    super(401, 'invalid_session', message);
  }
}

/** The app's client id or secret was refused: a configuration problem, not the user's. */
export class ClientAuthenticationError extends TesseraError {
  constructor(message = 'client authentication failed') {
    super(401, 'invalid_client', message);
  }
}

/** `If-Match` named a version that is no longer current. */
export class VersionMismatchError extends TesseraError {
  constructor(message = 'the session changed since the version given in If-Match') {
    super(412, 'version_mismatch', message);
  }
}

/** A write would break a limit configured at the service; `limit` names it (e.g. `maxValueBytes`). */
export class AttributeLimitError extends TesseraError {
  constructor(
    status: number,
    readonly limit: string,
    message = `attribute limit ${limit} exceeded`,
  ) {
    super(status, 'attribute_limit_exceeded', message);
  }
}

/** Too many writers at once on this session; the write may be retried. */
export class ConflictError extends TesseraError {
  constructor(message = 'the session is being changed by many writers at once; retry') {
    super(409, 'conflict', message);
  }

  override get retryable(): boolean {
    return true;
  }
}

/** The service refused the request as malformed (a bug in the caller or an invalid attribute key). */
export class InvalidRequestError extends TesseraError {
  constructor(message = 'the request was refused as invalid') {
    super(400, 'invalid_request', message);
  }
}

/** The token endpoint refused the code: unknown, expired, already used, or the PKCE verifier does not match. */
export class InvalidGrantError extends TesseraError {
  constructor(message = 'the authorization code was refused') {
    super(400, 'invalid_grant', message);
  }
}

/** No usable answer: network error, timeout, 5xx, or a response that is not the documented JSON. */
export class ServiceUnavailableError extends TesseraError {
  constructor(
    message = 'the session service is unavailable',
    status = 0,
    code = 'service_unavailable',
    options?: { cause?: unknown },
  ) {
    super(status, code, message, options);
  }

  override get retryable(): boolean {
    return true;
  }
}

/** Maps a non-2xx answer (status plus parsed JSON body, if any) to its typed error. */
export function errorFromResponse(status: number, body: unknown): TesseraError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields.error === 'string' ? fields.error : undefined;
  // The session API says `message`; the token endpoint, as OAuth does, `error_description`.
  const description = fields.message ?? fields.error_description;
  const message = typeof description === 'string' ? description : undefined;
  const limit = typeof fields.limit === 'string' ? fields.limit : 'unknown';

  // The error code is authoritative; the status only decides when the body carries no known code.
  switch (code) {
    case 'invalid_session':
      return new InvalidSessionError(message);
    case 'invalid_client':
      return new ClientAuthenticationError(message);
    case 'version_mismatch':
      return new VersionMismatchError(message);
    case 'attribute_limit_exceeded':
      return new AttributeLimitError(status, limit, message);
    case 'conflict':
      return new ConflictError(message);
    case 'invalid_request':
      return new InvalidRequestError(message);
    case 'invalid_grant':
      return new InvalidGrantError(message);
  }
  if (status >= 500) {
    return new ServiceUnavailableError(
      message ?? `the session service answered ${status}`,
      status,
      code,
    );
  }
  switch (status) {
    case 400:
      return new InvalidRequestError(message);
    // A 401 without a recognised code (a proxy, say) must not log users out: treat it as the app's problem.
    case 401:
      return new ClientAuthenticationError(message);
    case 409:
      return new ConflictError(message);
    case 412:
      return new VersionMismatchError(message);
    case 413:
    case 422:
      return new AttributeLimitError(status, limit, message);
  }
  return new TesseraError(
    status,
    code ?? 'unexpected_status',
    message ?? `unexpected status ${status}`,
  );
}
