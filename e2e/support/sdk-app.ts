import type { TesseraClientOptions } from '@tessera/sdk';
import { TesseraClient, tesseraSession } from '@tessera/sdk';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningSdkApp {
  url: string;
  client: TesseraClient;
  /** Errors the middleware reported for end-of-request flushes. */
  flushErrors: unknown[];
  close(): Promise<void>;
}

/**
 * A real Express app on loopback that uses only the SDK, the way an app of the realm would:
 * GET /state shows the merged session, POST /set/:key and /remove/:key change it (several
 * changes per request with ?also=key), GET /read-many reads the same keys many times.
 */
export async function startSdkApp(options: TesseraClientOptions): Promise<RunningSdkApp> {
  const client = new TesseraClient(options);
  const flushErrors: unknown[] = [];
  const app = express();
  app.use(
    tesseraSession({
      client,
      cookie: { secure: false },
      onFlushError: (error) => flushErrors.push(error),
    }),
  );
  app.use(express.json());

  app.get('/state', (req, res) => {
    const session = req.tessera;
    res.json(
      session
        ? {
            subject: session.principal.subject,
            sessionId: session.sessionId,
            attributes: session.toJSON(),
          }
        : { anonymous: true },
    );
  });
  app.get('/read-many', (req, res) => {
    const values = Array.from({ length: 50 }, () => req.tessera?.get('cart'));
    res.json({ reads: values.length, cart: values[0] ?? null });
  });
  app.post('/set/:key', (req, res) => {
    if (!req.tessera) return void res.status(401).json({ anonymous: true });
    req.tessera.set(req.params.key, (req.body as { value: unknown }).value);
    const also = req.query.also;
    const extras = typeof also === 'string' ? [also] : Array.isArray(also) ? also.map(String) : [];
    for (const extra of extras) req.tessera.set(extra, 'extra');
    res.json({ readsOwnWrite: req.tessera.get(req.params.key) });
  });
  app.post('/remove/:key', (req, res) => {
    if (!req.tessera) return void res.status(401).json({ anonymous: true });
    req.tessera.remove(req.params.key);
    res.json({ ok: true });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    client,
    flushErrors,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await client.close();
    },
  };
}
