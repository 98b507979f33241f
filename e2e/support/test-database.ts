import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

export interface TestDatabase {
  uri: string;
  dbName: string;
}

/**
 * An isolated database for one test file on the server that globalSetup provided. The name is
 * lower-case [a-z0-9_] (valid on MongoDB and FerretDB) and at most 55 characters (limit: 63).
 */
export function testDatabase(label: string): TestDatabase {
  const uri = process.env.TESSERA_TEST_MONGODB_URI;
  if (!uri) {
    throw new Error(
      'TESSERA_TEST_MONGODB_URI is not set: run tests through jest (e2e/support/global-setup.ts)',
    );
  }
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .slice(0, 40)
      .replace(/^_+|_+$/g, '') || 'db';
  return { uri, dbName: `t_${slug}_${randomBytes(6).toString('hex')}` };
}

export async function dropTestDatabase(db: TestDatabase): Promise<void> {
  const client = new MongoClient(db.uri);
  try {
    await client.db(db.dbName).dropDatabase();
  } finally {
    await client.close();
  }
}
