import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import type { TestDatabase } from '../../../../e2e/support/test-database';
import { dropTestDatabase, testDatabase } from '../../../../e2e/support/test-database';
import { chooseWriteGuard } from './choose-write-guard';
import type { RevisionClaimDocument } from './revision-claim.schema';
import { REVISION_CLAIM_MODEL, RevisionClaimSchema } from './revision-claim.schema';
import { RevisionClaims } from './revision-claims';
import { AtomicUpdates } from './write-guard';

describe('RevisionClaims (real database)', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let claims: Model<RevisionClaimDocument>;
  let connection: Connection;
  let now = 1_000_000;
  const clock = () => now;

  beforeAll(async () => {
    database = testDatabase('claims');
    moduleRef = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(database.uri, { dbName: database.dbName }),
        MongooseModule.forFeature([{ name: REVISION_CLAIM_MODEL, schema: RevisionClaimSchema }]),
      ],
    }).compile();
    await moduleRef.init();
    claims = moduleRef.get(getModelToken(REVISION_CLAIM_MODEL));
    connection = moduleRef.get(getConnectionToken());
    await claims.init();
  });

  afterAll(async () => {
    await moduleRef.close();
    await dropTestDatabase(database);
  });

  it('lets exactly one of many concurrent writers hold a revision', async () => {
    const guard = new RevisionClaims(claims, 5000, clock);
    let inside = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        guard.guard('p-race', 7, async () => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inside--;
          return true;
        }),
      ),
    );
    // Writers that claim after the holder released run too (their compare-and-set on the old
    // revision then fails in real use); what matters is that no two ever run at once.
    expect(results.some(Boolean)).toBe(true);
    expect(most).toBe(1);
  });

  it('blocks a revision while its claim is fresh, and takes over a claim whose writer died', async () => {
    const guard = new RevisionClaims(claims, 5000, clock);
    // A writer that claimed revision 3 and died before writing or releasing.
    await claims.create({
      _id: 'p-dead:3:0',
      principalId: 'p-dead',
      rev: 3,
      generation: 0,
      claimedAt: new Date(now),
    });
    const write = jest.fn(async () => true);
    expect(await guard.guard('p-dead', 3, write)).toBe(false);
    expect(write).not.toHaveBeenCalled();

    now += 5000;
    expect(await guard.guard('p-dead', 3, write)).toBe(true);
    expect(write).toHaveBeenCalledTimes(1);
    expect((await claims.find({ principalId: 'p-dead' }).lean()).map((c) => c._id).sort()).toEqual([
      'p-dead:3:0',
      'p-dead:3:1',
    ]);
  });

  it('leaves a successful claim for the sweeper, which deletes only claims the document moved past', async () => {
    const guard = new RevisionClaims(claims, 5000, clock);
    expect(await guard.guard('p-sweep', 1, async () => true)).toBe(true);
    expect(await guard.guard('p-sweep', 2, async () => true)).toBe(true);
    expect(await guard.guard('p-gone', 4, async () => true)).toBe(true);
    now += 6000;
    // p-sweep's document is at revision 2: the claim on 1 is past, the one on 2 may still be in use.
    // p-gone has no document any more. (Claims left by earlier tests go too.)
    const deleted = await guard.sweepPastClaims(async () => new Map([['p-sweep', 2]]));
    expect(deleted).toBeGreaterThanOrEqual(2);
    const left = await claims.find({ principalId: { $in: ['p-sweep', 'p-gone'] } }).lean();
    expect(left.map((c) => c._id)).toEqual(['p-sweep:2:0']);
  });

  it('releases at once the claim of a write that leaves the revision as it was (a touch)', async () => {
    const guard = new RevisionClaims(claims, 5000, clock);
    expect(await guard.guard('p-touch', 9, async () => true, false)).toBe(true);
    expect(await guard.guard('p-touch', 9, async () => true)).toBe(true);
  });

  it('releases the claim when the write fails, so the principal is not blocked', async () => {
    const guard = new RevisionClaims(claims, 5000, clock);
    await expect(
      guard.guard('p-fail', 1, () => Promise.reject(new Error('db down'))),
    ).rejects.toThrow('db down');
    expect(await guard.guard('p-fail', 1, async () => true)).toBe(true);
  });

  it('chooses claims on FerretDB and plain updates on MongoDB in auto mode, and obeys on/off', async () => {
    const info = await connection.db!.admin().command({ buildInfo: 1 });
    const auto = await chooseWriteGuard('auto', connection, claims, 5000);
    expect(auto).toBeInstanceOf(
      typeof info.ferretdbVersion === 'string' ? RevisionClaims : AtomicUpdates,
    );
    expect(await chooseWriteGuard('on', connection, claims, 5000)).toBeInstanceOf(RevisionClaims);
    expect(await chooseWriteGuard('off', connection, claims, 5000)).toBeInstanceOf(AtomicUpdates);
  });
});
