import type { Configuration } from 'openid-client';

/** An upstream provider whose discovery succeeded: everything a sign-in through it needs. */
export interface ReadyProvider {
  readonly realm: string;
  readonly id: string;
  readonly displayName: string;
  /** openid-client's view of the provider (metadata, client id and authentication). */
  readonly config: Configuration;
  /** `<public origin>/login/upstream/<realm>/<id>/callback`, registered at the provider. */
  readonly callbackUrl: URL;
  /** Space-separated, always including `openid`. */
  readonly scope: string;
}

/** The path the login page links to, with `?csrf=<pending login csrf>` appended. */
export function startPathOf(realm: string, providerId: string): string {
  return `/login/upstream/${realm}/${providerId}`;
}

export function callbackUrlOf(publicOrigin: string, realm: string, providerId: string): URL {
  return new URL(`${startPathOf(realm, providerId)}/callback`, publicOrigin);
}
