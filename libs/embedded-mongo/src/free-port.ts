import { createServer } from 'node:net';

/**
 * Asks the OS for an unused port on `host` by binding port 0, then releases it for the caller.
 * Another process could take it in between, but on loopback that race is rare enough.
 */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error(`Could not read the port bound on ${host}`));
      });
    });
  });
}
