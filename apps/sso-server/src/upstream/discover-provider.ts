import * as client from 'openid-client';
import type { IdentityProviderConfig } from '../config/realms-config';
import { issuerProblems } from '../config/uri-rules';

export interface DiscoveryContext {
  readonly production: boolean;
  /** Where `clientSecretEnv` is looked up. */
  readonly env: NodeJS.ProcessEnv;
  /** Bounds discovery and, afterwards, every request to the provider (code exchange, UserInfo). */
  readonly timeoutSeconds: number;
}

/**
 * Reads the provider's discovery document and returns openid-client's configuration for it,
 * authenticating with client_secret_basic (the OpenID Connect default, which every provider
 * supports). openid-client refuses plain http unless told otherwise; it is allowed here only
 * for the issuers the realms file could accept over http (loopback and .test hosts outside
 * production), which is what the test provider uses.
 */
export async function discoverProvider(
  provider: IdentityProviderConfig,
  context: DiscoveryContext,
): Promise<client.Configuration> {
  const issuer = new URL(provider.issuer);
  const secret =
    provider.clientSecret ??
    (provider.clientSecretEnv ? context.env[provider.clientSecretEnv] : undefined);
  if (!secret) {
    throw new Error(`no client secret (environment variable ${provider.clientSecretEnv} is empty)`);
  }
  const insecure =
    issuer.protocol === 'http:' && issuerProblems(provider.issuer, context.production).length === 0;
  return client.discovery(issuer, provider.clientId, undefined, client.ClientSecretBasic(secret), {
    timeout: context.timeoutSeconds,
    ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
  });
}
