/**
 * What Tessera keeps of an upstream sign-in: a subject stable per provider (`<provider>:<sub>`,
 * so two providers can never claim the same principal) and a small profile. Only string claims
 * are copied, each within a length cap, so a provider cannot grow the principal document.
 */
export interface UpstreamIdentity {
  readonly subject: string;
  readonly profile: Readonly<Record<string, string>>;
}

/** OpenID Connect Core 1.0 section 2: `sub` is at most 255 ASCII characters. */
const MAX_SUB_LENGTH = 255;
const MAX_NAME_LENGTH = 256;
/** RFC 5321 bounds a path at 256 octets; a longer "email" is not one. */
const MAX_EMAIL_LENGTH = 254;

export type Claims = Readonly<Record<string, unknown>>;

/** The ID token's `sub`, or undefined when it is not a usable subject. */
export function subjectOf(claims: Claims): string | undefined {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH) return undefined;
  // Printable ASCII only: the subject is shown in the admin API and written to the audit log.
  return /^[\x21-\x7e]+$/.test(sub) ? sub : undefined;
}

/**
 * `name` and `email` from the claims (ID token first, then UserInfo). An email the provider
 * marks unverified (`email_verified: false`) is left out: apps may match accounts by email.
 */
export function profileOf(...sources: Claims[]): Record<string, string> {
  const profile: Record<string, string> = {};
  const name = firstString(sources, 'name');
  if (name !== undefined) {
    const trimmed = stripControls(name).trim().slice(0, MAX_NAME_LENGTH);
    if (trimmed) profile.name = trimmed;
  }
  const source = sources.find((claims) => typeof claims.email === 'string');
  const email = source?.email as string | undefined;
  if (
    email !== undefined &&
    source?.email_verified !== false &&
    email.length <= MAX_EMAIL_LENGTH &&
    /^[^\s@]+@[^\s@]+$/.test(email)
  ) {
    profile.email = email;
  }
  return profile;
}

export function upstreamIdentity(
  providerId: string,
  sub: string,
  ...sources: Claims[]
): UpstreamIdentity {
  return { subject: `${providerId}:${sub}`, profile: profileOf(...sources) };
}

/** Whether the ID token lacks a profile claim that UserInfo might add. */
export function profileIncomplete(claims: Claims): boolean {
  return typeof claims.name !== 'string' || typeof claims.email !== 'string';
}

function firstString(sources: Claims[], name: string): string | undefined {
  for (const claims of sources) {
    const value = claims[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function stripControls(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ');
}
