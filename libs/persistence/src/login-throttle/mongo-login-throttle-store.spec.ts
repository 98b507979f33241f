import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { ThrottleCounter, ThrottleTarget } from '@tessera/core';
import {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
  LoginThrottleStore,
  ManualClock,
} from '@tessera/core';
import type { Connection } from 'mongoose';
import type { TestDatabase } from '../../../../e2e/support/test-database';
import { dropTestDatabase, testDatabase } from '../../../../e2e/support/test-database';
import type { WriteClaimsMode } from '../write-guard/choose-write-guard';
import { ClaimSweeper } from '../write-guard/claim-sweeper';
import { PersistenceModule } from '../persistence.module';
import { ThrottleSweeper } from './throttle-sweeper';

const T0 = Date.UTC(2030, 0, 1);

function counter(failures: number, at = T0): ThrottleCounter {
  return {
    failures,
    firstFailureAt: at,
    lastFailureAt: at,
    blockedUntil: at,
    forgetAt: at + 60_000,
  };
}

/** `auto` is what the service runs; `on` forces revision claims, as FerretDB gets them. */
describe.each<WriteClaimsMode>(['auto', 'on'])(
  'MongoLoginThrottleStore, write claims %s (real database)',
  (writeClaims) => {
    let database: TestDatabase;
    let moduleRef: TestingModule;
    let store: LoginThrottleStore;
    let connection: Connection;

    beforeAll(async () => {
      database = testDatabase(`throttle_${writeClaims}`);
      moduleRef = await Test.createTestingModule({
        imports: [
          MongooseModule.forRoot(database.uri, { dbName: database.dbName }),
          PersistenceModule.forRoot({ writeClaims }),
        ],
      }).compile();
      await moduleRef.init();
      store = moduleRef.get(LoginThrottleStore);
      connection = moduleRef.get(getConnectionToken());
    });

    afterAll(async () => {
      await moduleRef.close();
      await dropTestDatabase(database);
    });

    it('stores a first counter as version 1 and reads it back', async () => {
      expect(await store.loadCounter('address:192.0.2.1')).toBeUndefined();
      expect(await store.saveCounter('address:192.0.2.1', 0, counter(1))).toBe(true);
      expect(await store.loadCounter('address:192.0.2.1')).toEqual({
        version: 1,
        counter: counter(1),
      });
      const raw = await connection
        .collection('login_throttle')
        .findOne({ _id: 'address:192.0.2.1' as never });
      expect(raw).toMatchObject({ version: 1, failures: 1, blockedUntil: new Date(T0) });
    });

    it('refuses a write from a stale version and changes nothing', async () => {
      const key = 'account:r:stale';
      expect(await store.saveCounter(key, 0, counter(1))).toBe(true);
      expect(await store.saveCounter(key, 1, counter(2))).toBe(true);
      expect(await store.saveCounter(key, 1, counter(9))).toBe(false);
      expect(await store.saveCounter(key, 0, counter(9))).toBe(false);
      expect(await store.loadCounter(key)).toEqual({ version: 2, counter: counter(2) });
    });

    it('lets exactly one of several writers from the same version win', async () => {
      const key = 'account:r:race';
      expect(await store.saveCounter(key, 0, counter(1))).toBe(true);
      const wins = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.saveCounter(key, 1, counter(10 + i))),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = 10 + wins.indexOf(true);
      expect(await store.loadCounter(key)).toEqual({ version: 2, counter: counter(winner) });
    });

    it('loses no failure when many attempts from one address are counted at once', async () => {
      const throttle = new LoginThrottle(store, new ManualClock(T0), {
        ...DEFAULT_LOGIN_THROTTLE,
        perAddress: { ...DEFAULT_LOGIN_THROTTLE.perAddress, freeFailures: 1000 },
        maxWriteAttempts: 200,
      });
      const targets: ThrottleTarget[] = throttle.targets('r', undefined, '198.51.100.9');
      await Promise.all(Array.from({ length: 25 }, () => throttle.admit(targets)));
      expect((await store.loadCounter('address:198.51.100.9'))?.counter.failures).toBe(25);
    });
  },
);

/** Claims must expire for the sweeps: a 1 ms lease, harmless here as these writes come one at a time. */
const CLAIM_LEASE_MS = 400;

describe('MongoLoginThrottleStore sweeping, write claims on (real database)', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let store: LoginThrottleStore;
  let connection: Connection;

  beforeAll(async () => {
    database = testDatabase('throttle_sweep');
    moduleRef = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(database.uri, { dbName: database.dbName }),
        // Short, so claims are old enough to sweep soon; long enough for a write to start.
        PersistenceModule.forRoot({ writeClaims: 'on', claimLeaseMs: CLAIM_LEASE_MS }),
      ],
    }).compile();
    await moduleRef.init();
    store = moduleRef.get(LoginThrottleStore);
    connection = moduleRef.get(getConnectionToken());
  });

  afterAll(async () => {
    await moduleRef.close();
    await dropTestDatabase(database);
  });

  it('sweeps counters forgotten for a while, keeps the others, and starts a swept key afresh', async () => {
    await store.saveCounter('account:sweep:old', 0, { ...counter(5), forgetAt: T0 });
    await store.saveCounter('account:sweep:recent', 0, {
      ...counter(5),
      forgetAt: T0 + 4 * 60_000,
    });
    await store.saveCounter('account:sweep:live', 0, { ...counter(5), forgetAt: T0 + 60 * 60_000 });
    const swept = await moduleRef.get(ThrottleSweeper).sweep(T0 + 5 * 60_000);
    expect(swept).toBeGreaterThanOrEqual(1);
    expect(await store.loadCounter('account:sweep:old')).toBeUndefined();
    expect(await store.loadCounter('account:sweep:recent')).toBeDefined();
    expect(await store.loadCounter('account:sweep:live')).toBeDefined();
    // The claims of the key's earlier life are gone by then (ClaimSweeper), so it starts again at 1.
    await new Promise((resolve) => setTimeout(resolve, CLAIM_LEASE_MS + 50));
    await moduleRef.get(ClaimSweeper).sweep();
    expect(await store.saveCounter('account:sweep:old', 0, counter(1))).toBe(true);
    expect((await store.loadCounter('account:sweep:old'))?.version).toBe(1);
  });

  it('leaves no revision claims behind once ClaimSweeper has run', async () => {
    const key = 'account:claims:ada';
    await store.saveCounter(key, 0, counter(1));
    await store.saveCounter(key, 1, counter(2));
    await new Promise((resolve) => setTimeout(resolve, CLAIM_LEASE_MS + 50));
    await moduleRef.get(ClaimSweeper).sweep();
    const claims = connection.collection('principal_claims');
    expect(await claims.countDocuments({ principalId: key })).toBe(0);
  });
});
