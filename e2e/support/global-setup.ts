import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Relative, not @tessera/embedded-mongo: jest loads this file outside its moduleNameMapper.
import { startEmbeddedMongo, type EmbeddedMongo } from '../../libs/embedded-mongo/src';

// Jest loads globalSetup and globalTeardown separately in one process: globalThis carries the server.
const serverKey = Symbol.for('tessera.testMongo');
type WithServer = typeof globalThis & { [serverKey]?: EmbeddedMongo };

/** Removes and returns the server that globalSetup started, if it started one. */
export function takeTestServer(): EmbeddedMongo | undefined {
  const holder = globalThis as WithServer;
  const server = holder[serverKey];
  delete holder[serverKey];
  return server;
}

/**
 * Gives every test worker a server through TESSERA_TEST_MONGODB_URI (workers inherit the
 * environment): MONGODB_URI when set, else an embedded server on a fresh temporary directory.
 */
export default async function globalSetup(): Promise<void> {
  const external = process.env.MONGODB_URI;
  if (external) {
    process.env.TESSERA_TEST_MONGODB_URI = external;
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-test-mongo-'));
  try {
    const server = await startEmbeddedMongo({
      dataDir,
      log: (line) => process.stderr.write(`[embedded-mongo] ${line}\n`),
    });
    (globalThis as WithServer)[serverKey] = server;
    process.env.TESSERA_TEST_MONGODB_URI = server.uri;
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
