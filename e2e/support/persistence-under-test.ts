import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { PersistenceOptions } from '@tessera/persistence';
import { PersistenceModule } from '@tessera/persistence';
import type { Connection } from 'mongoose';
import type { TestDatabase } from './test-database';
import { dropTestDatabase, testDatabase } from './test-database';

export interface PersistenceUnderTest {
  readonly moduleRef: TestingModule;
  readonly database: TestDatabase;
  readonly connection: Connection;
  close(): Promise<void>;
}

/** The persistence module on a fresh database of its own, for repository and use-case specs. */
export async function startPersistence(
  label: string,
  options: PersistenceOptions = {},
): Promise<PersistenceUnderTest> {
  const database = testDatabase(label);
  const moduleRef = await Test.createTestingModule({
    imports: [
      MongooseModule.forRoot(database.uri, { dbName: database.dbName }),
      PersistenceModule.forRoot(options),
    ],
  }).compile();
  await moduleRef.init();
  return {
    moduleRef,
    database,
    connection: moduleRef.get<Connection>(getConnectionToken()),
    close: async () => {
      await moduleRef.close();
      await dropTestDatabase(database);
    },
  };
}
