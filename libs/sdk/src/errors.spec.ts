import {
  AttributeLimitError,
  ClientAuthenticationError,
  ConflictError,
  InvalidRequestError,
  InvalidSessionError,
  ServiceUnavailableError,
  TesseraError,
  VersionMismatchError,
  errorFromResponse,
} from './errors';

const body = (error: string, extra: object = {}) => ({
  statusCode: 0,
  error,
  message: `m:${error}`,
  ...extra,
});

describe('errorFromResponse', () => {
  it.each([
    [400, 'invalid_request', InvalidRequestError],
    [401, 'invalid_client', ClientAuthenticationError],
    [401, 'invalid_session', InvalidSessionError],
    [412, 'version_mismatch', VersionMismatchError],
    [409, 'conflict', ConflictError],
  ])('maps %i %s to its class, keeping the message', (status, code, type) => {
    const error = errorFromResponse(status, body(code));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ status, code, message: `m:${code}` });
    expect(error.name).toBe(type.name);
  });

  it.each([413, 422])('maps %i attribute_limit_exceeded with its limit', (status) => {
    const error = errorFromResponse(
      status,
      body('attribute_limit_exceeded', { limit: 'maxValueBytes' }),
    );
    expect(error).toBeInstanceOf(AttributeLimitError);
    expect(error).toMatchObject({
      status,
      code: 'attribute_limit_exceeded',
      limit: 'maxValueBytes',
    });
  });

  it('maps 5xx to a retryable ServiceUnavailableError, with or without a body', () => {
    const withBody = errorFromResponse(503, body('internal_error'));
    expect(withBody).toBeInstanceOf(ServiceUnavailableError);
    expect(withBody).toMatchObject({ status: 503, code: 'internal_error', retryable: true });
    const bare = errorFromResponse(502, undefined);
    expect(bare).toMatchObject({ status: 502, code: 'service_unavailable' });
    expect(bare).toBeInstanceOf(ServiceUnavailableError);
  });

  it('falls back on the status when the body has no known code', () => {
    expect(errorFromResponse(400, 'not json')).toBeInstanceOf(InvalidRequestError);
    expect(errorFromResponse(409, {})).toBeInstanceOf(ConflictError);
    expect(errorFromResponse(412, null)).toBeInstanceOf(VersionMismatchError);
    expect(errorFromResponse(413, {})).toMatchObject({ limit: 'unknown' });
  });

  it('never reads an unexplained 401 as an ended session, so users are not logged out by a proxy', () => {
    expect(errorFromResponse(401, undefined)).toBeInstanceOf(ClientAuthenticationError);
  });

  it('keeps other statuses as a plain TesseraError', () => {
    const error = errorFromResponse(404, undefined);
    expect(error.constructor).toBe(TesseraError);
    expect(error).toMatchObject({ status: 404, code: 'unexpected_status', retryable: false });
  });

  it('marks only conflicts and unavailability as retryable', () => {
    expect(new ConflictError().retryable).toBe(true);
    expect(new InvalidSessionError().retryable).toBe(false);
    expect(new VersionMismatchError().retryable).toBe(false);
  });
});
