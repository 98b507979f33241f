import { ManualClock } from '@tessera/core';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';
import type { ApiCaller } from './support/session-api-client';
import { basicAuth, remove, sessionApi, set } from './support/session-api-client';

describe('session API (real service, real database)', () => {
  const clock = new ManualClock(Date.now());
  let service: TestService;
  let shop: ApiCaller;
  let portal: ApiCaller;
  let shopToken: string;
  let portalToken: string;

  beforeAll(async () => {
    service = await startTestService({
      clock,
      env: {
        TESSERA_IDLE_TIMEOUT_SECONDS: '600',
        TESSERA_ABSOLUTE_LIFETIME_SECONDS: '3600',
        TESSERA_TOUCH_INTERVAL_SECONDS: '5',
        TESSERA_MAX_VALUE_BYTES: '1024',
        TESSERA_MAX_BYTES_PER_APP: '8192',
        TESSERA_MAX_KEYS_PER_APP: '20',
      },
      apps: [
        { clientId: 'shop', secret: 'shop-secret', attributePolicy: { privateKeys: ['csrf'] } },
        { clientId: 'portal', secret: 'portal-secret', attributePolicy: { privateKeys: ['csrf'] } },
        { clientId: 'elsewhere', secret: 'elsewhere-secret', realm: 'other' },
      ],
    });
    shop = sessionApi(service.url, 'shop', 'shop-secret');
    portal = sessionApi(service.url, 'portal', 'portal-secret');
  });

  afterAll(() => service.close());

  beforeEach(async () => {
    const sso = await service.signIn(`user-${Math.random()}`, {
      profile: { name: 'Ada', email: 'ada@example.test' },
    });
    shopToken = await service.joinApp(sso, 'shop');
    portalToken = await service.joinApp(sso, 'portal');
  });

  async function body(response: Response) {
    return (await response.json()) as any;
  }

  it('answers the merged session with principal, public session id, version and ETag', async () => {
    const response = await shop.get(shopToken);
    expect(response.status).toBe(200);
    const view = await body(response);
    expect(view.principal).toEqual({
      subject: expect.stringMatching(/^user-/),
      realm: 'example',
      profile: { name: 'Ada', email: 'ada@example.test' },
    });
    expect(view.session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(shopToken).not.toContain(view.principal.subject);
    expect(response.headers.get('etag')).toBe(`"${view.version}"`);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(new Date(view.session.expiresAt).getTime()).toBe(clock.now() + 600_000);
    expect(view.attributes).toEqual({ shared: {}, private: {} });
  });

  it('answers 304 with no body while the view is unchanged, and 200 once it changes', async () => {
    const first = await shop.get(shopToken);
    const etag = first.headers.get('etag')!;
    const unchanged = await shop.get(shopToken, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);

    await portal.patch(portalToken, { operations: [set('cart', ['book'], clock.now())] });
    const changed = await shop.get(shopToken, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await body(changed)).attributes.shared).toEqual({ cart: ['book'] });
  });

  it("keeps an app's private attribute from every other app, shares the rest", async () => {
    const written = await shop.patch(shopToken, {
      operations: [
        set('cart', { items: [1, 2] }, clock.now()),
        set('csrf', 'shop-csrf', clock.now()),
      ],
    });
    expect(written.status).toBe(200);
    expect((await body(written)).attributes).toEqual({
      shared: { cart: { items: [1, 2] } },
      private: { csrf: 'shop-csrf' },
    });

    const seenByPortal = await body(await portal.get(portalToken));
    expect(seenByPortal.attributes).toEqual({ shared: { cart: { items: [1, 2] } }, private: {} });

    await portal.patch(portalToken, { operations: [set('csrf', 'portal-csrf', clock.now())] });
    expect((await body(await shop.get(shopToken))).attributes.private).toEqual({
      csrf: 'shop-csrf',
    });
    expect((await body(await portal.get(portalToken))).attributes.private).toEqual({
      csrf: 'portal-csrf',
    });
  });

  it('lets a removal in one app hide a shared attribute from the others', async () => {
    await shop.patch(shopToken, { operations: [set('cart', ['a'], clock.now())] });
    clock.advance(10);
    const removed = await portal.patch(portalToken, { operations: [remove('cart', clock.now())] });
    expect((await body(removed)).attributes.shared).toEqual({});
    expect((await body(await shop.get(shopToken))).attributes.shared).toEqual({});
  });

  it('keeps the newest write when an older one arrives late, and a late older removal loses too', async () => {
    const t = clock.now();
    await portal.patch(portalToken, { operations: [set('cart', 'new', t + 100)] });
    await shop.patch(shopToken, { operations: [set('cart', 'old', t), remove('cart', t + 50)] });
    expect((await body(await shop.get(shopToken))).attributes.shared).toEqual({ cart: 'new' });
  });

  it('pulls writes from a fast app clock back to the skew bound', async () => {
    const t = clock.now();
    await shop.patch(shopToken, { operations: [set('theme', 'from-the-future', t + 3_600_000)] });
    clock.advance(6_000); // past the 5 s default skew
    await portal.patch(portalToken, { operations: [set('theme', 'now', clock.now())] });
    expect((await body(await shop.get(shopToken))).attributes.shared).toEqual({ theme: 'now' });
  });

  it('gives the same result when a batch is applied twice', async () => {
    const batch = { operations: [set('a', 1, clock.now()), remove('b', clock.now())] };
    const first = await body(await shop.patch(shopToken, batch));
    const second = await body(await shop.patch(shopToken, batch));
    expect(second.version).toBe(first.version);
    expect(second.attributes).toEqual(first.attributes);
  });

  it('stores keys with $, dots, percent signs and unicode as they are', async () => {
    const keys = ['$where', 'a.b.c', '100%', 'ключ', '🛒', '__proto__', 'constructor'];
    const response = await shop.patch(shopToken, {
      operations: keys.map((key, i) => set(key, i, clock.now())),
    });
    expect(response.status).toBe(200);
    const shared = (await body(await portal.get(portalToken))).attributes.shared;
    expect(Object.keys(shared).sort()).toEqual([...keys].sort());
    keys.forEach((key, i) => expect(Object.getOwnPropertyDescriptor(shared, key)?.value).toBe(i));
  });

  it('applies If-Match as a compare-and-set', async () => {
    const current = await shop.get(shopToken);
    const etag = current.headers.get('etag')!;
    const ok = await shop.patch(
      shopToken,
      { operations: [set('step', 1, clock.now())] },
      { 'if-match': etag },
    );
    expect(ok.status).toBe(200);
    const stale = await shop.patch(
      shopToken,
      { operations: [set('step', 2, clock.now())] },
      { 'if-match': etag },
    );
    expect(stale.status).toBe(412);
    expect((await body(stale)).error).toBe('version_mismatch');
    expect(stale.headers.get('etag')).toBe(ok.headers.get('etag'));
    expect((await body(await shop.get(shopToken))).attributes.shared).toEqual({ step: 1 });
  });

  describe('expiry', () => {
    it('ends a session that stays idle past the idle timeout, at once', async () => {
      expect((await shop.get(shopToken)).status).toBe(200);
      clock.advance(600_000);
      const response = await shop.get(shopToken);
      expect(response.status).toBe(401);
      expect((await body(response)).error).toBe('invalid_session');
    });

    it('slides the idle timeout with use, writing the access time at most every touch interval', async () => {
      const start = (await body(await shop.get(shopToken))).session.lastAccessAt;
      clock.advance(4_000);
      expect((await body(await shop.get(shopToken))).session.lastAccessAt).toBe(start);
      clock.advance(1_000);
      const touched = (await body(await shop.get(shopToken))).session;
      expect(touched.lastAccessAt).toBe(new Date(clock.now()).toISOString());
      clock.advance(599_000);
      expect((await shop.get(shopToken)).status).toBe(200);
    });

    it('ends a busy session at its absolute lifetime', async () => {
      for (let elapsed = 0; elapsed < 3_600_000; elapsed += 300_000) {
        expect((await shop.get(shopToken)).status).toBe(200);
        clock.advance(300_000);
      }
      expect((await shop.get(shopToken)).status).toBe(401);
    });
  });

  describe('refusals', () => {
    it('refuses a token of one app presented by another', async () => {
      const response = await portal.get(shopToken);
      expect(response.status).toBe(401);
      expect((await body(response)).error).toBe('invalid_session');
      const elsewhere = sessionApi(service.url, 'elsewhere', 'elsewhere-secret');
      expect((await elsewhere.get(shopToken)).status).toBe(401);
    });

    it('refuses tampered, malformed and missing tokens', async () => {
      const lastChar = shopToken.at(-1) === 'A' ? 'B' : 'A';
      for (const token of [shopToken.slice(0, -1) + lastChar, 'tsa.x.y.z.w', '{"$ne":null}']) {
        expect((await shop.get(token)).status).toBe(401);
      }
      const missing = await shop.get(undefined);
      expect(missing.status).toBe(401);
      expect((await body(missing)).message).toMatch(/Tessera-Session/);
    });

    it('refuses missing or wrong client credentials with a Basic challenge', async () => {
      const anonymous = await fetch(`${service.url}/api/v1/session`, {
        headers: { 'tessera-session': shopToken },
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect((await body(anonymous)).error).toBe('invalid_client');
      for (const auth of [
        basicAuth('shop', 'wrong'),
        basicAuth('nobody', 'shop-secret'),
        'Bearer abc',
        'Basic !!!',
      ]) {
        const response = await fetch(`${service.url}/api/v1/session`, {
          headers: { authorization: auth, 'tessera-session': shopToken },
        });
        expect(response.status).toBe(401);
      }
    });

    describe('bad writes change nothing', () => {
      let before: any;

      beforeEach(async () => {
        await shop.patch(shopToken, { operations: [set('kept', 'yes', clock.now())] });
        before = await body(await shop.get(shopToken));
      });

      afterEach(async () => {
        const after = await body(await shop.get(shopToken));
        expect(after.version).toBe(before.version);
        expect(after.attributes).toEqual(before.attributes);
      });

      const t = () => clock.now();
      it.each([
        [
          'an unknown operation',
          () => ({ operations: [{ op: 'increment', key: 'a', time: t() }] }),
        ],
        [
          'a time given as a string',
          () => ({ operations: [{ op: 'set', key: 'a', value: 1, time: String(t()) }] }),
        ],
        [
          'a key that is not a string',
          () => ({ operations: [{ op: 'set', key: 7, value: 1, time: t() }] }),
        ],
        ['a set without value', () => ({ operations: [{ op: 'set', key: 'a', time: t() }] })],
        [
          'a removal with a value',
          () => ({ operations: [{ op: 'remove', key: 'a', value: 1, time: t() }] }),
        ],
        [
          'an unknown field',
          () => ({ operations: [{ op: 'set', key: 'a', value: 1, time: t(), scope: 'x' }] }),
        ],
        ['an empty batch', () => ({ operations: [] })],
        ['operations as an operator object', () => ({ operations: { $ne: null } })],
        ['operations that are not objects', () => ({ operations: [1, 'two'] })],
        ['an empty key', () => ({ operations: [set('', 1, t())] })],
        ['a key with a control character', () => ({ operations: [set('a\u0000b', 1, t())] })],
        ['a negative time', () => ({ operations: [set('a', 1, -5)] })],
        ['a body that is an array', () => [set('a', 1, t())]],
      ])('refuses %s with 400', async (_, makeBody) => {
        const response = await shop.patch(shopToken, makeBody());
        expect(response.status).toBe(400);
        const error = await body(response);
        expect(error.error).toBe('invalid_request');
        expect(typeof error.message).toBe('string');
      });

      it('refuses malformed JSON with 400', async () => {
        const response = await shop.patch(shopToken, '{"operations": [');
        expect(response.status).toBe(400);
      });

      it('refuses a value over maxValueBytes with 413 naming the limit', async () => {
        const response = await shop.patch(shopToken, {
          operations: [set('small', 1, t()), set('big', 'x'.repeat(2000), t())],
        });
        expect(response.status).toBe(413);
        expect(await body(response)).toMatchObject({
          error: 'attribute_limit_exceeded',
          limit: 'maxValueBytes',
        });
      });

      it('refuses a batch that would pass maxKeysPerApp with 422 naming the limit', async () => {
        const operations = Array.from({ length: 20 }, (_, i) => set(`k${i}`, i, t()));
        const response = await shop.patch(shopToken, { operations });
        expect(response.status).toBe(422);
        expect(await body(response)).toMatchObject({ limit: 'maxKeysPerApp' });
      });

      it('refuses a batch that would pass maxBytesPerApp with 413 naming the limit', async () => {
        const operations = Array.from({ length: 9 }, (_, i) => set(`v${i}`, 'y'.repeat(1000), t()));
        const response = await shop.patch(shopToken, { operations });
        expect(response.status).toBe(413);
        expect(await body(response)).toMatchObject({ limit: 'maxBytesPerApp' });
      });

      it('refuses a body larger than the service accepts with 413', async () => {
        const response = await shop.patch(shopToken, {
          operations: [set('huge', 'z'.repeat(2_000_000), t())],
        });
        expect(response.status).toBe(413);
      });

      it('refuses a write on an expired session with 401', async () => {
        clock.advance(600_000);
        expect((await shop.patch(shopToken, { operations: [set('late', 1, t())] })).status).toBe(
          401,
        );
        clock.advance(-600_000);
      });
    });
  });
});
