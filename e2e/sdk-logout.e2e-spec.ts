import { LogoutTokenIssuer } from '@tessera/core';
import { InvalidSessionError, TesseraClient, tesseraBackchannelLogout } from '@tessera/sdk';
import { sessionApi } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

/** The SDK's logout helper against the real service: one call ends the session in every app. */
describe('SDK logout (real service, real database)', () => {
  let service: TestService;
  let shop: TesseraClient;

  beforeAll(async () => {
    service = await startTestService({
      apps: [
        { clientId: 'shop', secret: 'shop-secret' },
        { clientId: 'portal', secret: 'portal-secret' },
      ],
    });
    shop = new TesseraClient({
      baseUrl: service.url,
      clientId: 'shop',
      clientSecret: 'shop-secret',
    });
  });

  afterAll(async () => {
    await shop.close();
    await service.close();
  });

  it('client.endSession ends the SSO session: every app token of it is refused', async () => {
    const sso = await service.signIn('logout-helper');
    const shopToken = await service.joinApp(sso, 'shop');
    const portalToken = await service.joinApp(sso, 'portal');
    const other = await service.joinApp(await service.signIn('logout-helper'), 'shop');
    await shop.getSession(shopToken); // cached: the logout must drop this copy too

    await shop.endSession(shopToken);

    await expect(shop.getSession(shopToken)).rejects.toBeInstanceOf(InvalidSessionError);
    expect((await sessionApi(service.url, 'shop', 'shop-secret').get(shopToken)).status).toBe(401);
    expect((await sessionApi(service.url, 'portal', 'portal-secret').get(portalToken)).status).toBe(
      401,
    );
    // The same user's other session (another device) is not touched.
    expect((await shop.getSession(other)).principal.subject).toBe('logout-helper');
  });

  it('resolves for a session that is already over (logging out twice is no error)', async () => {
    const token = await service.joinApp(await service.signIn('twice'), 'shop');
    await shop.endSession(token);
    await expect(shop.endSession(token)).resolves.toBeUndefined();
  });

  it("verifies a logout token the real service signed, with the service's published JWKS", async () => {
    const sso = await service.signIn('bc-verify');
    const forgetSession = jest.fn();
    // The issuer is the service's public URL, as its discovery document says.
    const discovery = (await (
      await fetch(`${service.url}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    const where = { issuer: discovery.issuer, jwksUrl: `${service.url}/.well-known/jwks.json` };
    const handler = tesseraBackchannelLogout({
      client: { clientId: 'shop', forgetSession },
      ...where,
    });
    const token = await service.app.get(LogoutTokenIssuer).issue({
      id: `${sso.sessionId}:shop`,
      realm: 'example',
      clientId: 'shop',
      backchannelLogoutUri: 'http://shop.example.test/bc',
      sessionId: sso.sessionId,
      subject: 'bc-verify',
      cause: 'logout',
      createdAt: Date.now(),
      deadline: Date.now() + 60_000,
    });
    const outcome = await handler.receive(token);
    expect(outcome).toMatchObject({ replayed: false, claims: { sid: sso.sessionId } });
    expect(forgetSession).toHaveBeenCalledWith(sso.sessionId);
    // Addressed to shop: portal's handler refuses it.
    const portal = tesseraBackchannelLogout({
      client: { clientId: 'portal', forgetSession },
      ...where,
    });
    await expect(portal.receive(token)).rejects.toMatchObject({ reason: 'aud is not valid' });
  });
});
