import { rm } from 'node:fs/promises';
import { takeTestServer } from './global-setup';

/** Stops the embedded server that globalSetup started and deletes its temporary data. */
export default async function globalTeardown(): Promise<void> {
  const server = takeTestServer();
  if (server === undefined) return;
  try {
    await server.stop();
  } finally {
    await rm(server.dataDir, { recursive: true, force: true });
  }
}
