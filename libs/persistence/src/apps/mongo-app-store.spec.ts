import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { NewApp } from '@tessera/core';
import {
  AppAlreadyRegistered,
  AppNotFound,
  AppStore,
  AppVersionMismatch,
  DEFAULT_POLICY_SPEC,
} from '@tessera/core';
import type { Connection, Model } from 'mongoose';
import type { TestDatabase } from '../../../../e2e/support/test-database';
import { dropTestDatabase, testDatabase } from '../../../../e2e/support/test-database';
import { chooseWriteGuard } from '../write-guard/choose-write-guard';
import type { RevisionClaimDocument } from '../write-guard/revision-claim.schema';
import { REVISION_CLAIM_MODEL, RevisionClaimSchema } from '../write-guard/revision-claim.schema';
import { WriteGuard } from '../write-guard/write-guard';
import { APP_GENERATION_MODEL, AppGenerationSchema } from './app-generation.schema';
import { APP_MODEL, AppSchema } from './app.schema';
import { MongoAppStore } from './mongo-app-store';

/** The app store as one service instance has it, on a database shared with other instances. */
async function storeOn(database: TestDatabase): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      MongooseModule.forRoot(database.uri, { dbName: database.dbName }),
      MongooseModule.forFeature([
        { name: APP_MODEL, schema: AppSchema },
        { name: APP_GENERATION_MODEL, schema: AppGenerationSchema },
        { name: REVISION_CLAIM_MODEL, schema: RevisionClaimSchema },
      ]),
    ],
    providers: [
      {
        provide: WriteGuard,
        inject: [getConnectionToken(), getModelToken(REVISION_CLAIM_MODEL)],
        useFactory: (connection: Connection, claims: Model<RevisionClaimDocument>) =>
          chooseWriteGuard('auto', connection, claims, 5000),
      },
      { provide: AppStore, useClass: MongoAppStore },
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

const at = new Date('2030-01-01T00:00:00Z');

function newApp(clientId: string, overrides: Partial<NewApp> = {}): NewApp {
  return {
    clientId,
    realm: 'example',
    secretHash: `$argon2id$hash-of-${clientId}`,
    enabled: true,
    redirectUris: [`https://${clientId}.example.com/cb`],
    postLogoutRedirectUris: [],
    attributePolicy: DEFAULT_POLICY_SPEC,
    ...overrides,
  };
}

describe('MongoAppStore (real database)', () => {
  let database: TestDatabase;
  let first: TestingModule;
  let second: TestingModule;
  let store: AppStore;
  let other: AppStore;

  beforeAll(async () => {
    database = testDatabase('apps');
    first = await storeOn(database);
    second = await storeOn(database);
    store = first.get(AppStore);
    other = second.get(AppStore);
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await dropTestDatabase(database);
  });

  it('registers an app at version 1, moves the generation, and refuses the same client id again', async () => {
    const before = await store.generation();
    const app = await store.register(
      newApp('reg', { backchannelLogoutUri: 'https://reg.example.com/bc' }),
      at,
    );
    expect(app).toMatchObject({ clientId: 'reg', version: 1, enabled: true });
    expect(await other.generation()).toBeGreaterThan(before);
    expect((await other.find('reg'))?.backchannelLogoutUri).toBe('https://reg.example.com/bc');

    const generation = await store.generation();
    await expect(store.register(newApp('reg', { realm: 'other' }), at)).rejects.toBeInstanceOf(
      AppAlreadyRegistered,
    );
    expect((await store.find('reg'))?.realm).toBe('example');
    expect(await store.generation()).toBe(generation);
  });

  it('seeds only the apps not stored yet, and leaves stored ones as the admin API left them', async () => {
    await store.insertMissing([newApp('seeded')], at);
    await store.change('seeded', { enabled: false, redirectUris: [] }, undefined, at);
    const generation = await store.generation();

    const inserted = await store.insertMissing(
      [newApp('seeded', { secretHash: 'from-an-edited-file' }), newApp('fresh')],
      at,
    );
    expect(inserted).toEqual(['fresh']);
    const seeded = await store.find('seeded');
    expect(seeded).toMatchObject({ enabled: false, redirectUris: [], version: 2 });
    expect(seeded?.secretHash).toBe('$argon2id$hash-of-seeded');
    expect(await store.generation()).toBeGreaterThan(generation);

    // Nothing new: nothing inserted, the generation stays.
    const after = await store.generation();
    expect(await store.insertMissing([newApp('seeded'), newApp('fresh')], at)).toEqual([]);
    expect(await store.generation()).toBe(after);
  });

  it('lets two instances seed the same apps at once: each app is inserted exactly once', async () => {
    const apps = Array.from({ length: 12 }, (_, i) => newApp(`race-${i}`));
    const [a, b] = await Promise.all([
      store.insertMissing(apps, at),
      other.insertMissing(apps, at),
    ]);
    expect([...a, ...b].sort()).toEqual(apps.map((app) => app.clientId).sort());
    const stored = await store.list({ after: 'race-', limit: 100 });
    expect(stored.filter((app) => app.clientId.startsWith('race-'))).toHaveLength(12);
  });

  it('applies a change as a delta, +1 version, and removes a logout URI given as null', async () => {
    await store.register(
      newApp('delta', { frontchannelLogoutUri: 'https://delta.example.com/fc' }),
      at,
    );
    const later = new Date(at.getTime() + 1000);
    const changed = await store.change(
      'delta',
      {
        postLogoutRedirectUris: ['https://delta.example.com/bye'],
        frontchannelLogoutUri: null,
        attributePolicy: { defaultScope: 'private', sharedKeys: ['cart'], privateKeys: [] },
      },
      1,
      later,
    );
    expect(changed).toMatchObject({
      version: 2,
      redirectUris: ['https://delta.example.com/cb'],
      postLogoutRedirectUris: ['https://delta.example.com/bye'],
      updatedAt: later,
      createdAt: at,
    });
    expect(changed.frontchannelLogoutUri).toBeUndefined();
    expect(changed.policy.scopeOf('cart')).toBe('shared');
    expect(changed.policy.scopeOf('theme')).toBe('private');
  });

  it('refuses a stale expected version and an unknown app, changing nothing', async () => {
    await store.register(newApp('stale'), at);
    await store.change('stale', { enabled: false }, 1, at);
    const refusal = store.change('stale', { enabled: true }, 1, at);
    await expect(refusal).rejects.toBeInstanceOf(AppVersionMismatch);
    await expect(refusal).rejects.toMatchObject({ currentVersion: '2' });
    expect(await store.find('stale')).toMatchObject({ enabled: false, version: 2 });
    await expect(store.change('ghost', { enabled: false }, undefined, at)).rejects.toBeInstanceOf(
      AppNotFound,
    );
  });

  it('loses no change when two instances change different settings of one app at once', async () => {
    await store.register(newApp('busy'), at);
    const changes = [
      { enabled: false },
      { redirectUris: ['https://busy.example.com/new'] },
      { postLogoutRedirectUris: ['https://busy.example.com/bye'] },
      { backchannelLogoutUri: 'https://busy.example.com/bc' },
      { frontchannelLogoutUri: 'https://busy.example.com/fc' },
      { secretHash: 'rotated' },
    ];
    await Promise.all(
      changes.map((change, i) => (i % 2 ? store : other).change('busy', change, undefined, at)),
    );
    expect(await store.find('busy')).toMatchObject({
      enabled: false,
      redirectUris: ['https://busy.example.com/new'],
      postLogoutRedirectUris: ['https://busy.example.com/bye'],
      backchannelLogoutUri: 'https://busy.example.com/bc',
      frontchannelLogoutUri: 'https://busy.example.com/fc',
      secretHash: 'rotated',
      version: 1 + changes.length,
    });
  });

  it('moves the generation on every change, as seen from the other instance', async () => {
    await store.register(newApp('gen'), at);
    const seen = [await other.generation()];
    await store.change('gen', { enabled: false }, undefined, at);
    seen.push(await other.generation());
    await store.change('gen', { secretHash: 'new' }, undefined, at);
    seen.push(await other.generation());
    expect(seen[1]).toBeGreaterThan(seen[0]);
    expect(seen[2]).toBeGreaterThan(seen[1]);
  });

  it('lists in client id order, by realm, page after page', async () => {
    for (const id of ['list-c', 'list-a', 'list-b']) {
      await store.register(newApp(id, { realm: 'listed' }), at);
    }
    const first = await store.list({ realm: 'listed', limit: 2 });
    expect(first.map((app) => app.clientId)).toEqual(['list-a', 'list-b']);
    const next = await store.list({ realm: 'listed', after: 'list-b', limit: 2 });
    expect(next.map((app) => app.clientId)).toEqual(['list-c']);
    expect(await store.list({ realm: 'nowhere', limit: 10 })).toEqual([]);
  });
});
