import { join, resolve } from 'node:path';
import { findFerretdbBinary } from './ferretdb-binary';
import { startFerretdb } from './ferretdb-server';
import { startMemoryServer } from './memory-server';

export interface EmbeddedMongo {
  uri: string;
  kind: 'ferretdb' | 'mongodb-memory-server';
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartEmbeddedMongoOptions {
  /** Kept across runs: stopping and starting again on the same directory keeps the data. */
  dataDir: string;
  log?: (line: string) => void;
}

/**
 * Starts a local MongoDB-compatible server: FerretDB when a binary or Go is available, else
 * mongod through mongodb-memory-server. Each engine keeps its files in its own subdirectory of
 * dataDir, since neither can read the other's.
 */
export async function startEmbeddedMongo(
  options: StartEmbeddedMongoOptions,
): Promise<EmbeddedMongo> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);

  const ferretdb = await startFerretdbIfAvailable(dataDir, log).catch((error: unknown) => {
    throw unavailable(error);
  });
  if (ferretdb !== undefined) return ferretdb;

  log('No FerretDB binary and no Go to build one: starting mongodb-memory-server instead');
  const server = await startMemoryServer(join(dataDir, 'mongod')).catch((error: unknown) => {
    throw unavailable(error, 'no FerretDB binary, no Go, and mongodb-memory-server failed');
  });
  return { uri: server.uri, kind: 'mongodb-memory-server', dataDir, stop: server.stop };
}

async function startFerretdbIfAvailable(
  dataDir: string,
  log: (line: string) => void,
): Promise<EmbeddedMongo | undefined> {
  const binary = await findFerretdbBinary(log);
  if (binary === undefined) return undefined;
  const server = await startFerretdb({ binary, dataDir: join(dataDir, 'ferretdb'), log });
  return { uri: server.uri, kind: 'ferretdb', dataDir, stop: server.stop };
}

function unavailable(cause: unknown, context?: string): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `No embedded MongoDB server${context ? ` (${context})` : ''}: ${reason}\n` +
      'Set MONGODB_URI to a running MongoDB server, or install Go (1.22+) so that ' +
      'tools/install-ferretdb.sh can build FerretDB.',
    { cause },
  );
}
