import type { LogoutNotification } from '@tessera/core';
import { LogoutTokenIssuer } from '@tessera/core';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ServiceSettings } from '../apps/sso-server/src/config/service-settings';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

/** The served JWKS and metadata verify a logout token the way an app would. */
describe('signing keys and logout tokens (real service, real database)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ apps: [{ clientId: 'shop', secret: 'shop-secret' }] });
  });

  afterAll(() => service.close());

  it('serves the discovery document naming the issuer, the JWKS and the logout support', async () => {
    const response = await fetch(`${service.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    const issuer = service.app.get(ServiceSettings).publicUrl.origin;
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      end_session_endpoint: `${issuer}/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      frontchannel_logout_supported: true,
      subject_types_supported: ['public'],
    });
    expect(metadata).not.toHaveProperty('id_token_signing_alg_values_supported');
  });

  it('serves public keys only, cacheable for five minutes', async () => {
    const response = await fetch(`${service.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('issues a logout token that verifies against the served JWKS', async () => {
    const metadata = (await (
      await fetch(`${service.url}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    const notification: LogoutNotification = {
      id: 'session-1:shop',
      realm: 'example',
      clientId: 'shop',
      backchannelLogoutUri: 'http://shop.example.test/bc',
      sessionId: 'session-1',
      subject: 'alice',
      cause: 'logout',
      createdAt: Date.now(),
      deadline: Date.now() + 600_000,
    };
    const token = await service.app.get(LogoutTokenIssuer).issue(notification);

    // The JWKS is fetched from the service, as an app's SDK does.
    const jwks = createRemoteJWKSet(new URL(`${service.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: metadata.issuer,
      audience: 'shop',
      typ: 'logout+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toEqual({
      alg: 'ES256',
      typ: 'logout+jwt',
      kid: decodeProtectedHeader(token).kid,
    });
    expect(payload).toMatchObject({
      sub: 'alice',
      sid: 'session-1',
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(payload).not.toHaveProperty('nonce');
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(payload.jti).toMatch(/^[\w-]{22}$/);
    const second = await service.app.get(LogoutTokenIssuer).issue(notification);
    expect((await jwtVerify(second, jwks)).payload.jti).not.toBe(payload.jti);
  });
});
