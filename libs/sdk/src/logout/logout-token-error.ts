/**
 * Why a logout token was refused. `status` is what the back-channel endpoint answers: 400 for a
 * token that will never verify, 503 when the signing keys could not be fetched, so that the service
 * retries the delivery instead of giving up on it.
 */
export class LogoutTokenError extends Error {
  constructor(
    readonly reason: string,
    readonly status: 400 | 503 = 400,
    options?: { cause?: unknown },
  ) {
    super(`logout token refused: ${reason}`, options);
    this.name = 'LogoutTokenError';
  }
}
