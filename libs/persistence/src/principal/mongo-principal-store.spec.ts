import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { AttributeChange, SsoSession } from '@tessera/core';
import { emptyAttributes, PrincipalStore } from '@tessera/core';
import type { Connection } from 'mongoose';
import { dropTestDatabase, testDatabase } from '../../../../e2e/support/test-database';
import { PersistenceModule } from '../persistence.module';
import { ClaimSweeper } from '../write-guard/claim-sweeper';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

describe('MongoPrincipalStore (real database)', () => {
  let persistence: PersistenceUnderTest;
  let moduleRef: TestingModule;
  let store: PrincipalStore;
  let connection: Connection;
  let counter = 0;

  beforeAll(async () => {
    persistence = await startPersistence('store');
    moduleRef = persistence.moduleRef;
    store = moduleRef.get(PrincipalStore);
    connection = moduleRef.get(getConnectionToken());
  });

  afterAll(async () => {
    await persistence.close();
  });

  const id = (prefix: string) => `${prefix}${String(++counter).padStart(21, '0')}`;

  function newSession(sessionId: string, at = 1_000_000): SsoSession {
    return {
      id: sessionId,
      validatorHash: 'hash',
      createdAt: at,
      lastAccessAt: at,
      client: { ip: '127.0.0.1', userAgent: 'test' },
      appSessions: new Map(),
      codes: new Map(),
      attributes: emptyAttributes(),
    };
  }

  async function principalWithSession(subject: string) {
    const { principal } = await store.findOrCreatePrincipal({
      newId: id('P'),
      realm: 'r',
      subject,
      now: 1_000_000,
    });
    const sessionId = id('S');
    expect(await store.addSession(principal.id, principal.rev, newSession(sessionId))).toBe(true);
    return { principalId: principal.id, sessionId };
  }

  it('adds a session and ends others in one write, and keeps sweepAfter as the earliest due time', async () => {
    const { principalId, sessionId: old } = await principalWithSession('evict');
    const principals = connection.collection('principals');
    const loaded = (await store.loadPrincipal(principalId))!;
    const fresh = id('S');
    expect(
      await store.addSession(principalId, loaded.principal.rev, newSession(fresh, 2_000_000), {
        expiresAt: 9_000_000,
        end: { sessionIds: [old], endedAt: 2_000_000, cause: 'evicted' },
      }),
    ).toBe(true);
    const after = (await store.loadPrincipal(principalId))!;
    expect(after.sessions.get(old)).toMatchObject({ endedAt: 2_000_000, endCause: 'evicted' });
    expect(after.sessions.get(fresh)?.endedAt).toBeUndefined();
    const doc = await principals.findOne({ _id: principalId as never });
    expect(doc!.sweepAfter).toEqual(new Date(2_000_000));

    expect(await store.listDueForSweep(1_999_999, 10)).not.toContain(principalId);
    expect(await store.listDueForSweep(2_000_000, 10)).toContain(principalId);
    // A stale revision cannot move it.
    expect(await store.setSweepAfter(principalId, loaded.principal.rev, 9_000_000)).toBe(false);
    expect(await store.setSweepAfter(principalId, after.principal.rev, 9_000_000)).toBe(true);
    expect(await store.listDueForSweep(8_999_999, 1000)).not.toContain(principalId);
  });

  it('creates one principal per realm and subject, even when first sign-ins race', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.findOrCreatePrincipal({ newId: id('P'), realm: 'r', subject: 'racer', now: 1 }),
      ),
    );
    const ids = new Set(attempts.map((a) => a.principal.id));
    expect(ids.size).toBe(1);
    expect(await connection.collection('principals').countDocuments({ subject: 'racer' })).toBe(1);
  });

  it('refuses a compare-and-set from a stale revision and changes nothing', async () => {
    const { principal } = await store.findOrCreatePrincipal({
      newId: id('P'),
      realm: 'r',
      subject: 'cas',
      now: 1,
    });
    expect(await store.addSession(principal.id, principal.rev, newSession(id('S')))).toBe(true);
    const stale = id('S');
    expect(await store.addSession(principal.id, principal.rev, newSession(stale))).toBe(false);
    expect(await store.loadSession(principal.id, stale)).toBeUndefined();
  });

  it('stores any attribute key under a safe field name and reads it back', async () => {
    const { principalId, sessionId } = await principalWithSession('keys');
    const keys = ['$set', 'a.b', '%2E', 'ключ', '__proto__'];
    const changes: AttributeChange[] = keys.map((key, i) => ({
      scope: i % 2 === 0 ? 'shared' : 'private',
      owner: i % 2 === 0 ? undefined : 'app-1',
      key,
      entry: { value: JSON.stringify(i), time: 100 + i, writer: 'app-1' },
    }));
    const loaded = (await store.loadSession(principalId, sessionId))!;
    expect(
      await store.applyAttributeWrites({
        principalId,
        sessionId,
        expectedRev: loaded.principal.rev,
        changes,
        sharedRev: 1,
        privateRev: { clientId: 'app-1', rev: 1 },
        accessedAt: 2_000_000,
      }),
    ).toBe(true);

    const { session } = (await store.loadSession(principalId, sessionId))!;
    expect([...session.attributes.shared.keys()].sort()).toEqual(
      ['$set', '%2E', '__proto__'].sort(),
    );
    expect([...session.attributes.private.get('app-1')!.keys()].sort()).toEqual(
      ['a.b', 'ключ'].sort(),
    );
    expect(session.attributes.shared.get('__proto__')).toEqual({
      value: '4',
      time: 104,
      writer: 'app-1',
    });
    expect(session.lastAccessAt).toBe(2_000_000);

    const raw = await connection.collection('principals').findOne({ _id: principalId as never });
    const fieldNames = (value: unknown): string[] =>
      value && typeof value === 'object' && !(value instanceof Date)
        ? Object.entries(value).flatMap(([k, v]) => [k, ...fieldNames(v)])
        : [];
    for (const name of fieldNames(raw)) {
      expect(name).not.toContain('.');
      expect(name.startsWith('$')).toBe(false);
    }
  });

  it('deletes stored entries that a merge forgot', async () => {
    const { principalId, sessionId } = await principalWithSession('forget');
    const write = async (changes: AttributeChange[]) => {
      const loaded = (await store.loadSession(principalId, sessionId))!;
      return store.applyAttributeWrites({
        principalId,
        sessionId,
        expectedRev: loaded.principal.rev,
        changes,
        sharedRev: 0,
        privateRev: { clientId: 'a', rev: 0 },
        accessedAt: 1_000_000,
      });
    };
    await write([
      {
        scope: 'shared',
        owner: undefined,
        key: 'x',
        entry: { value: undefined, time: 1, writer: 'a' },
      },
    ]);
    expect(
      (await store.loadSession(principalId, sessionId))!.session.attributes.shared.has('x'),
    ).toBe(true);
    await write([{ scope: 'shared', owner: undefined, key: 'x', entry: undefined }]);
    expect(
      (await store.loadSession(principalId, sessionId))!.session.attributes.shared.has('x'),
    ).toBe(false);
  });

  it('moves the access time only forward and never creates a session by touching', async () => {
    const { principalId, sessionId } = await principalWithSession('touch');
    const rev = (await store.loadSession(principalId, sessionId))!.principal.rev;
    await store.touchSession(principalId, sessionId, rev, 5_000_000);
    await store.touchSession(principalId, sessionId, rev, 4_000_000);
    const touched = (await store.loadSession(principalId, sessionId))!;
    expect(touched.session.lastAccessAt).toBe(5_000_000);
    expect(touched.principal.rev).toBe(rev);
    const ghost = id('S');
    await store.touchSession(principalId, ghost, rev, 6_000_000);
    expect(await store.loadSession(principalId, ghost)).toBeUndefined();
  });

  it('loads only the requested session of a principal', async () => {
    const { principalId, sessionId } = await principalWithSession('two-devices');
    const loaded = (await store.loadSession(principalId, sessionId))!;
    const other = id('S');
    expect(await store.addSession(principalId, loaded.principal.rev, newSession(other))).toBe(true);
    const both = await store.findOrCreatePrincipal({
      newId: id('P'),
      realm: 'r',
      subject: 'two-devices',
      now: 1,
    });
    expect([...both.sessions.keys()].sort()).toEqual([sessionId, other].sort());
    expect((await store.loadSession(principalId, other))!.session.id).toBe(other);
    expect(await store.loadSession(id('P'), sessionId)).toBeUndefined();
  });

  it('records a changed profile with its own revision', async () => {
    const { principal } = await store.findOrCreatePrincipal({
      newId: id('P'),
      realm: 'r',
      subject: 'profile',
      now: 1,
    });
    const sessionId = id('S');
    await store.addSession(principal.id, principal.rev, newSession(sessionId), {
      profile: { name: 'Ada', 'https://example.test/claims/team': 'blue' },
    });
    const loaded = (await store.loadSession(principal.id, sessionId))!;
    expect(loaded.principal.profile).toEqual({
      name: 'Ada',
      'https://example.test/claims/team': 'blue',
    });
    expect(loaded.principal.profileRev).toBe(1);
  });
});

describe('MongoPrincipalStore with revision claims (real database)', () => {
  it('sweeps the claims of past revisions and keeps the current one', async () => {
    const database = testDatabase('claims_sweep');
    const moduleRef = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(database.uri, { dbName: database.dbName }),
        // Short, so the claims are old enough to sweep soon; long enough for a write to start.
        PersistenceModule.forRoot({ writeClaims: 'on', claimLeaseMs: 400 }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const store = moduleRef.get(PrincipalStore);
      const claims = moduleRef.get<Connection>(getConnectionToken()).collection('principal_claims');
      const { principal } = await store.findOrCreatePrincipal({
        newId: 'P-sweep-000000000000000',
        realm: 'r',
        subject: 's',
        now: 1,
      });
      const session = { ...emptySession('S-sweep-000000000000000') };
      expect(await store.addSession(principal.id, principal.rev, session)).toBe(true);
      expect(
        await store.addSession(principal.id, principal.rev + 1, {
          ...session,
          id: 'S-other-000000000000000',
        }),
      ).toBe(true);
      expect(await claims.countDocuments()).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(await moduleRef.get(ClaimSweeper).sweep()).toBe(2);
      // A writer at work on the current revision keeps its claim.
      const current = `${principal.id}:${principal.rev + 2}:0`;
      await claims.insertOne({
        _id: current as never,
        principalId: principal.id,
        rev: principal.rev + 2,
        generation: 0,
        claimedAt: new Date(0),
      });
      expect(await moduleRef.get(ClaimSweeper).sweep()).toBe(0);
      expect((await claims.find().toArray()).map((c) => c._id)).toEqual([current]);
    } finally {
      await moduleRef.close();
      await dropTestDatabase(database);
    }
  });
});

function emptySession(id: string): SsoSession {
  return {
    id,
    validatorHash: 'h',
    createdAt: 1,
    lastAccessAt: 1,
    client: {},
    appSessions: new Map(),
    codes: new Map(),
    attributes: emptyAttributes(),
  };
}
