import { getConnectionToken } from '@nestjs/mongoose';
import type { LogoutNotification } from '@tessera/core';
import { EndSsoSession, LogoutOutbox, LogoutTokenIssuer } from '@tessera/core';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Connection } from 'mongoose';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { ServiceSettings } from '../apps/sso-server/src/config/service-settings';
import { CLOCK, RANDOM } from '../apps/sso-server/src/core/injection-tokens';
import { LogoutDispatcher } from '../apps/sso-server/src/logout/logout-dispatcher';
import { mapRealmNamesToLoopback } from './support/loopback-names';
import { dropTestDatabase, testDatabase } from './support/test-database';
import type { TestService } from './support/tessera-service';
import { freeLoopbackPort, startTestService } from './support/tessera-service';

/**
 * Back-channel logout delivery with real parts: the service (one or two instances on one
 * database), its dispatcher and token issuer, and loopback receivers. Back-channel URIs must be
 * on the realm's domain, so `*.example.test` resolves to loopback through undici's global
 * dispatcher, like a hosts file.
 */
const FAST = {
  TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: '50',
  TESSERA_LOGOUT_BACKOFF_BASE_MS: '100',
  TESSERA_LOGOUT_BACKOFF_CAP_MS: '400',
  TESSERA_LOGOUT_REQUEST_TIMEOUT_MS: '1000',
  TESSERA_LOGOUT_LEASE_MS: '2000',
};

type Answer = number | 'hold';

interface Post {
  key: string;
  contentType: string | undefined;
  body: string;
  token: string;
}

/** A back-channel endpoint that records every POST and notices overlapping ones per notification. */
class Receiver {
  readonly posts: Post[] = [];
  readonly delivered = new Map<string, number>();
  overlaps = 0;
  /** The most requests that were open at once, whatever their notification. */
  mostOpen = 0;
  private readonly open = new Set<string>();
  private server?: Server;

  constructor(
    private readonly answer: (post: Post, nth: number) => Answer,
    private readonly delayMs = 0,
  ) {}

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const token = new URLSearchParams(body).get('logout_token') ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      aud: string;
      sid: string;
    };
    const key = `${claims.aud}:${claims.sid}`;
    const post = { key, contentType: req.headers['content-type'], body, token };
    this.posts.push(post);
    if (this.open.has(key)) this.overlaps++;
    this.open.add(key);
    this.mostOpen = Math.max(this.mostOpen, this.open.size);
    res.once('close', () => this.open.delete(key));
    const answer = this.answer(post, this.posts.filter((p) => p.key === key).length);
    if (answer === 'hold') return;
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.open.delete(key);
    if (answer === 200 || answer === 204)
      this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
    res.writeHead(answer).end();
  }
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('back-channel logout delivery (real service, loopback receivers)', () => {
  let unmapNames: () => Promise<void>;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(() => {
    unmapNames = mapRealmNamesToLoopback();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(() => unmapNames());

  async function receiverOn(receiver: Receiver, port?: number): Promise<number> {
    const chosen = port ?? (await freeLoopbackPort());
    await receiver.listen(chosen);
    cleanups.push(() => receiver.close());
    return chosen;
  }

  async function service(
    port: number,
    env: Record<string, string> = {},
    database?: ReturnType<typeof testDatabase>,
  ) {
    const started = await startTestService({
      apps: [
        {
          clientId: 'shop',
          secret: 'shop-secret',
          backchannelLogoutUri: `http://shop.example.test:${port}/bc`,
        },
        {
          clientId: 'portal',
          secret: 'portal-secret',
          backchannelLogoutUri: `http://portal.example.test:${port}/bc`,
        },
      ],
      env: { ...FAST, ...env },
      ...(database ? { database } : {}),
    });
    // Closing twice is harmless, so a test may close an instance early ("kill" it).
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= started.close());
    cleanups.push(close);
    return { ...started, close };
  }

  function sharedDatabase() {
    const database = testDatabase('logout_delivery');
    cleanups.unshift(() => dropTestDatabase(database));
    return database;
  }

  /** Signs `subject` in at shop (and portal), then logs out: one notification per app. */
  async function logOut(svc: TestService, subject: string, apps = ['shop']) {
    const sso = await svc.signIn(subject);
    for (const app of apps) await svc.joinApp(sso, app);
    await svc.app.get(EndSsoSession).execute({ ...sso, cause: 'logout' });
    return sso;
  }

  const outbox = (svc: TestService) =>
    svc.app.get<Connection>(getConnectionToken()).collection('logout_outbox');
  const entry = (svc: TestService, id: string) => outbox(svc).findOne({ _id: id as never });
  const settled = (svc: TestService, id: string, state: string) =>
    waitFor(async () => {
      const doc = await entry(svc, id);
      return doc?.state === state ? doc : undefined;
    });

  async function verifies(svc: TestService, post: Post, audience: string): Promise<void> {
    expect(post.contentType).toBe('application/x-www-form-urlencoded');
    expect(post.body).toBe(`logout_token=${post.token}`);
    const jwks = (await (await fetch(`${svc.url}/.well-known/jwks.json`)).json()) as never;
    const { payload, protectedHeader } = await jwtVerify(post.token, createLocalJWKSet(jwks), {
      issuer: svc.app.get(ServiceSettings).publicUrl.origin,
      audience,
      typ: 'logout+jwt',
    });
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload.nonce).toBeUndefined();
  }

  it('retries a receiver that answers 500 twice, then delivers once, with a token that verifies', async () => {
    const receiver = new Receiver((_post, nth) => (nth <= 2 ? 500 : 200));
    const svc = await service(await receiverOn(receiver));
    const sso = await logOut(svc, 'flaky');

    const doc = await settled(svc, `${sso.sessionId}:shop`, 'delivered');
    expect(doc).toMatchObject({ attempts: 3, lastError: 'HTTP 500' });
    expect(doc.leaseOwner).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.posts).toHaveLength(3);
    expect([...receiver.delivered.values()]).toEqual([1]);
    await verifies(svc, receiver.posts[2], 'shop');
    expect(await svc.app.get(LogoutOutbox).countByState()).toEqual({
      pending: 0,
      delivered: 1,
      given_up: 0,
    });
  });

  it('delivers to an app that was down during the logout once it is up again', async () => {
    const port = await freeLoopbackPort();
    const svc = await service(port);
    const sso = await logOut(svc, 'down-then-up');
    const id = `${sso.sessionId}:shop`;
    const failed = await waitFor(async () => {
      const doc = await entry(svc, id);
      return (doc?.attempts ?? 0) >= 2 ? doc : undefined;
    });
    expect(failed?.state).toBe('pending');
    expect(failed?.lastError).toMatch(/ECONNREFUSED/);

    const receiver = new Receiver(() => 204);
    await receiverOn(receiver, port);
    await settled(svc, id, 'delivered');
    expect(receiver.posts).toHaveLength(1);
    await verifies(svc, receiver.posts[0], 'shop');
  });

  it('gives up after the deadline on a receiver that never answers 2xx, keeping the last error', async () => {
    const receiver = new Receiver(() => 503);
    const svc = await service(await receiverOn(receiver), { TESSERA_LOGOUT_DEADLINE_SECONDS: '1' });
    const sso = await logOut(svc, 'hopeless');
    const doc = await settled(svc, `${sso.sessionId}:shop`, 'given_up');
    expect(doc.lastError).toBe('HTTP 503');
    expect(doc.attempts).toBeGreaterThanOrEqual(2);
    expect(doc.attempts).toBe(receiver.posts.length);
  });

  it('keeps to its parallelism: what it has no room for is recorded unleased and sent as room frees', async () => {
    const receiver = new Receiver(() => 200, 400);
    const svc = await service(await receiverOn(receiver), {
      TESSERA_LOGOUT_PARALLELISM: '1',
      // Far apart: only a finished delivery's own pass can send the second one soon.
      TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: '60000',
    });
    const started = Date.now();
    const sso = await logOut(svc, 'one-at-a-time', ['shop', 'portal']);
    // The recording insert leased one of the two to this instance, not the other.
    const recorded = await Promise.all(
      ['shop', 'portal'].map((app) => entry(svc, `${sso.sessionId}:${app}`)),
    );
    expect(recorded.filter((doc) => doc?.leaseOwner !== undefined)).toHaveLength(1);
    await settled(svc, `${sso.sessionId}:shop`, 'delivered');
    await settled(svc, `${sso.sessionId}:portal`, 'delivered');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(receiver.mostOpen).toBe(1);
    expect(receiver.delivered.size).toBe(2);
  });

  describe('room', () => {
    /** A dispatcher of its own on the service's parts, with no poll: only what a test starts. */
    function dispatcherOf(svc: TestService, outbox: LogoutOutbox = svc.app.get(LogoutOutbox)) {
      const dispatcher = new LogoutDispatcher(
        outbox,
        svc.app.get(LogoutTokenIssuer),
        svc.app.get(ServiceSettings),
        svc.app.get(CLOCK),
        svc.app.get(RANDOM),
      );
      cleanups.push(async () => dispatcher.onModuleDestroy());
      return dispatcher;
    }

    let fanOuts = 0;
    /** New notifications of one session, one per app, to the receiver on `port`. */
    function notificationsTo(port: number, apps: string[]): LogoutNotification[] {
      const sessionId = `room-${++fanOuts}`;
      return apps.map((clientId) => ({
        id: `${sessionId}:${clientId}`,
        realm: 'example',
        clientId,
        backchannelLogoutUri: `http://${clientId}.example.test:${port}/bc`,
        sessionId,
        subject: 'local:room',
        cause: 'logout',
        createdAt: Date.now(),
        deadline: Date.now() + 600_000,
      }));
    }

    const quiet = { TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: '60000' };

    /** The outbox, with every pass's read of due entries held back until `readOn()`. */
    function readingHeldBack(outbox: LogoutOutbox) {
      let readOn!: () => void;
      const reading = new Promise<void>((resolve) => (readOn = resolve));
      const slowToRead = Object.assign(Object.create(outbox) as LogoutOutbox, {
        leaseDue: async (...args: Parameters<LogoutOutbox['leaseDue']>) => {
          await reading;
          return outbox.leaseDue(...args);
        },
      });
      return { slowToRead, readOn };
    }

    it('never exceeds its parallelism when a pass and a recording end fill the same room', async () => {
      const receiver = new Receiver(() => 200, 300);
      const port = await receiverOn(receiver);
      const svc = await service(port, { ...quiet, TESSERA_LOGOUT_PARALLELISM: '2' });
      const outbox = svc.app.get(LogoutOutbox);
      // A pass that has counted its room and is still reading the outbox.
      const { slowToRead, readOn } = readingHeldBack(outbox);
      const dispatcher = dispatcherOf(svc, slowToRead);
      const due = notificationsTo(port, ['shop', 'portal']);
      await outbox.record(due);
      dispatcher.kick();
      const fresh = notificationsTo(port, ['shop', 'portal']);
      await dispatcher.trigger.recordAndStart(fresh, (lease) => outbox.record(fresh, lease));
      readOn();
      for (const n of [...due, ...fresh]) await settled(svc, n.id, 'delivered');
      expect(receiver.delivered.size).toBe(4);
      expect(receiver.mostOpen).toBe(2);
    });

    it('a delivery leased while an end held the room starts once the end gives it back', async () => {
      const receiver = new Receiver(() => 200);
      const port = await receiverOn(receiver);
      const svc = await service(port, { ...quiet, TESSERA_LOGOUT_PARALLELISM: '1' });
      const outbox = svc.app.get(LogoutOutbox);
      const { slowToRead, readOn } = readingHeldBack(outbox);
      const dispatcher = dispatcherOf(svc, slowToRead);
      const due = notificationsTo(port, ['shop']);
      await outbox.record(due);
      dispatcher.kick(); // a pass that counted one free slot and is still reading
      // A completion run again holds that slot while its insert finds nothing new.
      let insertDone!: () => void;
      const inserting = new Promise<void>((resolve) => (insertDone = resolve));
      const rerun = dispatcher.trigger.recordAndStart(notificationsTo(port, ['portal']), () =>
        inserting.then(() => []),
      );
      readOn(); // the pass leases the due entry, finds the slot held, and queues it
      await new Promise((resolve) => setTimeout(resolve, 300));
      insertDone();
      await rerun;
      await settled(svc, due[0].id, 'delivered');
    });

    it('a completion that records nothing new gives its room back to a waiting pass at once', async () => {
      const receiver = new Receiver(() => 200);
      const port = await receiverOn(receiver);
      const svc = await service(port, { ...quiet, TESSERA_LOGOUT_PARALLELISM: '1' });
      const outbox = svc.app.get(LogoutOutbox);
      const dispatcher = dispatcherOf(svc);
      // A completion run again: its insert finds everything there already, and takes a while.
      let insertDone!: () => void;
      const inserting = new Promise<void>((resolve) => (insertDone = resolve));
      const rerun = dispatcher.trigger.recordAndStart(notificationsTo(port, ['shop']), () =>
        inserting.then(() => []),
      );
      // Another end meanwhile finds no room: its notification is recorded for a pass.
      const waiting = notificationsTo(port, ['portal']);
      await dispatcher.trigger.recordAndStart(waiting, (lease) => outbox.record(waiting, lease));
      insertDone();
      await rerun;
      // Sent long before the 60 s poll would have found it.
      await settled(svc, waiting[0].id, 'delivered');
    });
  });

  it('two instances on one database deliver every notification, never one twice at once', async () => {
    // Slow answers and a failure first keep entries in flight while both instances lease.
    const receiver = new Receiver((_post, nth) => (nth === 1 ? 500 : 200), 100);
    const port = await receiverOn(receiver);
    const database = sharedDatabase();
    const first = await service(port, {}, database);
    const second = await service(port, {}, database);
    const sessions = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        logOut(i % 2 ? first : second, `pair-${i}`, ['shop', 'portal']),
      ),
    );
    const ids = sessions.flatMap((s) => [`${s.sessionId}:shop`, `${s.sessionId}:portal`]);
    for (const id of ids) await settled(first, id, 'delivered');
    expect(receiver.overlaps).toBe(0);
    expect(receiver.delivered.size).toBe(20);
    expect([...receiver.delivered.values()].every((n) => n === 1)).toBe(true);
  });

  it('an instance killed in the middle of a delivery: another takes the entry over after its lease', async () => {
    const receiver = new Receiver((_post, nth) => (nth === 1 ? 'hold' : 200));
    const port = await receiverOn(receiver);
    const database = sharedDatabase();
    const doomed = await service(port, {}, database);
    const sso = await logOut(doomed, 'orphan');
    await waitFor(async () => (receiver.posts.length === 1 ? true : undefined));
    const killedAt = Date.now();
    await doomed.close(); // its dispatcher stops without recording or releasing anything

    const survivor = await service(port, {}, database);
    const doc = await settled(survivor, `${sso.sessionId}:shop`, 'delivered');
    // The dead instance's attempt was never recorded; the survivor waited out its lease.
    expect(doc.attempts).toBe(1);
    expect(doc.deliveredAt.getTime() - killedAt).toBeGreaterThanOrEqual(1000);
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.overlaps).toBe(0);
    await verifies(survivor, receiver.posts[1], 'shop');
  });
});
