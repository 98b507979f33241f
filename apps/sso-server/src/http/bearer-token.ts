/**
 * The credentials of `Authorization: Bearer <token>` (RFC 6750 section 2.1), or undefined when the
 * request carries no Bearer credentials at all. Whatever follows the scheme is returned as it is,
 * so that a garbled token is refused as an invalid token rather than as a missing one.
 */
export function parseBearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer(?: +(.*))?$/i.exec(header?.trim() ?? '');
  return match ? (match[1] ?? '') : undefined;
}
