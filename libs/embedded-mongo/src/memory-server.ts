import { mkdir } from 'node:fs/promises';

export interface MemoryServer {
  uri: string;
  stop(): Promise<void>;
}

/**
 * Starts a real mongod through mongodb-memory-server, which downloads MongoDB on first use.
 * Data goes to dataDir with the on-disk engine, so it survives a stop and a start.
 */
export async function startMemoryServer(dataDir: string): Promise<MemoryServer> {
  await mkdir(dataDir, { recursive: true });
  // Loaded only here: it is a dev dependency, needed only where FerretDB cannot be had.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({
    instance: { ip: '127.0.0.1', dbPath: dataDir, storageEngine: 'wiredTiger' },
  });
  return {
    uri: server.getUri(),
    stop: async () => {
      // Keep dbPath: it is the caller's data, not a temporary directory.
      await server.stop({ doCleanup: false });
    },
  };
}
