import { getConnectionToken } from '@nestjs/mongoose';
import { CompleteEndedSessions, EndSsoSession, PrincipalStore } from '@tessera/core';
import type { Connection } from 'mongoose';
import { sessionApi } from './support/session-api-client';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

/** The one way a session ends: marked at once, then notifications recorded and data removed. */
describe('ending a session (real service, real database)', () => {
  let service: TestService;
  let db: Connection;
  const shop = () => sessionApi(service.url, 'shop', 'shop-secret');
  const portal = () => sessionApi(service.url, 'portal', 'portal-secret');
  const tools = () => sessionApi(service.url, 'tools', 'tools-secret');

  beforeAll(async () => {
    service = await startTestService({
      apps: [
        {
          clientId: 'shop',
          secret: 'shop-secret',
          backchannelLogoutUri: 'http://shop.example.test/bc',
        },
        {
          clientId: 'portal',
          secret: 'portal-secret',
          backchannelLogoutUri: 'http://portal.example.test/bc',
        },
        // No back-channel URI: it loses the session at its next request all the same.
        { clientId: 'tools', secret: 'tools-secret' },
      ],
    });
    db = service.app.get<Connection>(getConnectionToken());
  });

  afterAll(() => service.close());

  async function signedInEverywhere(subject: string) {
    const sso = await service.signIn(subject);
    return {
      sso,
      shop: await service.joinApp(sso, 'shop'),
      portal: await service.joinApp(sso, 'portal'),
      tools: await service.joinApp(sso, 'tools'),
    };
  }

  const outboxOf = (sessionId: string) =>
    db.collection('logout_outbox').find({ sessionId }).sort({ clientId: 1 }).toArray();

  it('logs out from one app: every app session ends at once, and each app with a back-channel URI is queued', async () => {
    const {
      sso,
      shop: shopToken,
      portal: portalToken,
      tools: toolsToken,
    } = await signedInEverywhere('leaver');
    const response = await fetch(`${service.url}/api/v1/session`, {
      method: 'DELETE',
      headers: {
        authorization: `Basic ${Buffer.from('shop:shop-secret').toString('base64')}`,
        'tessera-session': shopToken,
      },
    });
    expect(response.status).toBe(204);
    expect((await shop().get(shopToken)).status).toBe(401);
    expect((await portal().get(portalToken)).status).toBe(401);
    expect((await tools().get(toolsToken)).status).toBe(401);

    const entries = await outboxOf(sso.sessionId);
    expect(entries.map((e) => e.clientId)).toEqual(['portal', 'shop']);
    expect(entries[0]).toMatchObject({
      _id: `${sso.sessionId}:portal`,
      subject: 'leaver',
      sessionId: sso.sessionId,
      cause: 'logout',
      // Still pending: the dispatcher may already have tried this unreachable URI once.
      state: 'pending',
      backchannelLogoutUri: 'http://portal.example.test/bc',
    });
    // Its only session is gone, and so is the principal's document.
    expect(await db.collection('principals').countDocuments({ subject: 'leaver' })).toBe(0);
  });

  it("refuses logout with another app's token and ends nothing", async () => {
    const { shop: shopToken } = await signedInEverywhere('stays');
    const response = await fetch(`${service.url}/api/v1/session`, {
      method: 'DELETE',
      headers: {
        authorization: `Basic ${Buffer.from('portal:portal-secret').toString('base64')}`,
        'tessera-session': shopToken,
      },
    });
    expect(response.status).toBe(401);
    expect((await shop().get(shopToken)).status).toBe(200);
  });

  it('ends one session of a principal and leaves the other device signed in', async () => {
    const laptop = await signedInEverywhere('two-devices');
    const phone = await signedInEverywhere('two-devices');
    const result = await service.app.get(EndSsoSession).execute({
      principalId: laptop.sso.principalId,
      sessionId: laptop.sso.sessionId,
      cause: 'admin',
    });
    expect(result.ended).toBe(true);
    expect((await shop().get(laptop.shop)).status).toBe(401);
    expect((await shop().get(phone.shop)).status).toBe(200);
    expect((await outboxOf(laptop.sso.sessionId)).map((e) => e.cause)).toEqual(['admin', 'admin']);
    expect(await outboxOf(phone.sso.sessionId)).toEqual([]);
  });

  it('survives a crash between marking the end and completing it, and completing twice records once', async () => {
    const { sso, portal: portalToken } = await signedInEverywhere('crash');
    const store = service.app.get(PrincipalStore);
    const before = (await store.loadPrincipal(sso.principalId))!;
    // The first step alone, as if the process died right after it.
    expect(await store.endSessions(before, [sso.sessionId], Date.now(), 'logout')).toBeDefined();
    expect((await portal().get(portalToken)).status).toBe(401);
    const stranded = await db.collection('principals').findOne({ _id: sso.principalId as never });
    expect(stranded!.sweepAfter).toBeInstanceOf(Date);
    expect(await outboxOf(sso.sessionId)).toEqual([]);

    const complete = service.app.get(CompleteEndedSessions);
    await complete.execute(sso.principalId);
    await complete.execute(sso.principalId);
    expect((await outboxOf(sso.sessionId)).map((e) => e.clientId)).toEqual(['portal', 'shop']);
    expect(await store.loadPrincipal(sso.principalId)).toBeUndefined();
  });

  it('ending an ended session only completes it', async () => {
    const { sso } = await signedInEverywhere('twice');
    const end = service.app.get(EndSsoSession);
    expect((await end.execute({ ...sso, cause: 'logout' })).ended).toBe(true);
    expect((await end.execute({ ...sso, cause: 'admin' })).ended).toBe(false);
    expect((await outboxOf(sso.sessionId)).map((e) => e.cause)).toEqual(['logout', 'logout']);
  });
});
