import type { EmbeddedMongo } from '@tessera/embedded-mongo';
import { startEmbeddedMongo } from '@tessera/embedded-mongo';
import type { Connection } from 'mongoose';
import { createConnection } from 'mongoose';
import type { ServiceSettings } from '../config/service-settings';
import type { RunningServer } from './embedded-server-in-use';
import { findServerOnDataDir } from './embedded-server-in-use';

/** The embedded database's files are held by a running server, most likely `npm start`. */
export class DataDirInUse extends Error {
  constructor(dataDir: string, server: RunningServer) {
    super(
      `the embedded database in ${dataDir} is in use by process ${server.pid} (is the service running?).\n` +
        'Stop the service and run this command again' +
        (server.uri
          ? `, or let the command use the running database:\n  MONGODB_URI=${server.uri} npm run cli -- …`
          : '.'),
    );
    this.name = 'DataDirInUse';
  }
}

/**
 * Runs `use` on the service's database, found the way `npm start` finds it: MONGODB_URI, else
 * the embedded server on TESSERA_DATA_DIR, started for the command and stopped after it.
 */
export async function withServiceDatabase<T>(
  settings: ServiceSettings,
  log: (line: string) => void,
  use: (connection: Connection) => Promise<T>,
): Promise<T> {
  let embedded: EmbeddedMongo | undefined;
  let uri = settings.mongodb.uri;
  if (!uri) {
    const running = await findServerOnDataDir(settings.mongodb.dataDir);
    if (running) throw new DataDirInUse(settings.mongodb.dataDir, running);
    embedded = await startEmbeddedMongo({ dataDir: settings.mongodb.dataDir, log });
    uri = embedded.uri;
  }
  const connection = createConnection(uri, { dbName: settings.mongodb.dbName });
  try {
    await connection.asPromise();
    return await use(connection);
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}
