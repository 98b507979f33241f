import type { AuditEntry } from '@tessera/core';
import { AuditTrail, ManualClock, signInSucceeded } from '@tessera/core';
import { adminHeaders, issueAdminToken } from './support/admin-tokens';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

/**
 * GET /admin/v1/statistics on the real service and database. The clock is manual, so the
 * per-instance cache (5 s) and the one-minute and one-hour windows are stepped through exactly.
 */
interface Statistics {
  computedAt: string;
  onlinePrincipals: number;
  liveSessions: number;
  liveSessionsByApp: Record<string, number>;
  lastMinute: {
    signIns: number;
    failedSignIns: number;
    logouts: number;
    sessionsEnded: Record<string, number>;
  };
  lastHour: {
    signIns: number;
    failedSignIns: number;
    logouts: number;
    sessionsEnded: Record<string, number>;
  };
  logoutNotifications: { pending: number; givenUp: number };
}

describe('admin API: statistics (real service)', () => {
  const clock = new ManualClock(Date.now());
  let svc: TestService;
  let read: string;
  let full: string;

  beforeAll(async () => {
    svc = await startTestService({
      apps: [
        // Unreachable back-channel: the notification stays pending.
        {
          clientId: 'shop',
          secret: 'shop-secret',
          backchannelLogoutUri: 'http://shop.example.test:9/bc',
        },
        { clientId: 'portal', secret: 'portal-secret' },
      ],
      clock,
      env: { TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: '60000' },
    });
    read = await issueAdminToken(svc, 'read');
    full = await issueAdminToken(svc, 'full');
  });

  afterAll(() => svc.close());

  async function statistics(query = ''): Promise<Statistics> {
    const response = await fetch(`${svc.url}/admin/v1/statistics${query}`, {
      headers: adminHeaders(read),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Statistics;
  }

  const failedSignIn = (): AuditEntry => ({
    type: 'login.failed',
    realm: 'example',
    details: { method: 'password', reason: 'bad_credentials' },
  });

  it('counts live sessions, principals, apps, sign-ins, ends and notifications, cached 5 s', async () => {
    const empty = await statistics();
    expect(empty).toMatchObject({ onlinePrincipals: 0, liveSessions: 0, liveSessionsByApp: {} });
    expect(empty.logoutNotifications).toEqual({ pending: 0, givenUp: 0 });

    const ada = await svc.signIn('ada');
    await svc.signIn('ada');
    const bob = await svc.signIn('bob');
    await svc.joinApp(ada, 'shop');
    await svc.joinApp(ada, 'portal');
    await svc.joinApp(bob, 'shop');
    const trail = svc.app.get(AuditTrail);
    await trail.record(
      signInSucceeded({ ...ada, realm: 'example', subject: 'ada', clientId: 'shop' }),
    );
    await trail.record(failedSignIn());

    // Within the cache period the first answer is kept, and says when it was computed.
    clock.advance(1_000);
    expect(await statistics()).toEqual(empty);
    clock.advance(5_000);
    const counted = await statistics();
    expect(Date.parse(counted.computedAt)).toBe(clock.now());
    expect(counted).toMatchObject({
      onlinePrincipals: 2,
      liveSessions: 3,
      liveSessionsByApp: { shop: 2, portal: 1 },
      lastMinute: { signIns: 1, failedSignIns: 1, logouts: 0 },
      lastHour: { signIns: 1, failedSignIns: 1, logouts: 0 },
    });

    // A minute on, the sign-ins leave the last minute; the kill falls in it.
    clock.advance(60_000);
    const killed = await fetch(`${svc.url}/admin/v1/principals/${bob.principalId}/sessions`, {
      method: 'DELETE',
      headers: adminHeaders(full),
    });
    expect(killed.status).toBe(200);
    clock.advance(6_000);
    const later = await statistics();
    expect(later).toMatchObject({
      onlinePrincipals: 1,
      liveSessions: 2,
      liveSessionsByApp: { shop: 1, portal: 1 },
      lastMinute: { signIns: 0, failedSignIns: 0, logouts: 1, sessionsEnded: { admin: 1 } },
      lastHour: {
        signIns: 1,
        failedSignIns: 1,
        logouts: 1,
        sessionsEnded: { admin: 1, logout: 0 },
      },
      logoutNotifications: { pending: 1, givenUp: 0 },
    });
  });

  it('refuses query parameters and callers without a token', async () => {
    const withQuery = await fetch(`${svc.url}/admin/v1/statistics?fresh=1`, {
      headers: adminHeaders(read),
    });
    expect(withQuery.status).toBe(400);
    expect((await fetch(`${svc.url}/admin/v1/statistics`)).status).toBe(401);
  });
});
