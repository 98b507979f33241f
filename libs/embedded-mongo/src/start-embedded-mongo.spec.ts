import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { findFerretdbBinary } from './ferretdb-binary';
import { startFerretdb } from './ferretdb-server';
import { startEmbeddedMongo } from './start-embedded-mongo';

/** Resolves true when something accepts TCP connections on the URI's host and port. */
function accepts(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(uri: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

function docs(client: MongoClient) {
  return client.db('persist').collection<{ _id: string; value: number }>('docs');
}

describe('startEmbeddedMongo (FerretDB)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-mongo-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps documents across a stop and a start on the same data dir', async () => {
    const first = await startEmbeddedMongo({ dataDir });
    expect(first.kind).toBe('ferretdb');
    expect(first.dataDir).toBe(dataDir);
    try {
      await withClient(first.uri, (client) => docs(client).insertOne({ _id: 'kept', value: 42 }));
    } finally {
      await first.stop();
    }
    expect(await accepts(first.uri)).toBe(false);

    const second = await startEmbeddedMongo({ dataDir });
    try {
      const found = await withClient(second.uri, (client) => docs(client).findOne({ _id: 'kept' }));
      expect(found).toEqual({ _id: 'kept', value: 42 });
    } finally {
      await second.stop();
    }
  });

  it('ends the server process on stop', async () => {
    const binary = await findFerretdbBinary(() => undefined);
    if (binary === undefined) throw new Error('No FerretDB binary and no Go to build one');
    const server = await startFerretdb({ binary, dataDir });
    expect(isAlive(server.pid)).toBe(true);

    await server.stop();

    expect(isAlive(server.pid)).toBe(false);
    expect(await accepts(server.uri)).toBe(false);
    await server.stop(); // a second stop is harmless
  });
});
