/**
 * The Tessera side of bench/session-bench.ts: an Express app on the SDK, written as an app team
 * would write it. Started by the runner as its own process (see support/app-process.ts).
 */
import { TesseraClient, tesseraSession } from '@tessera/sdk';
import type { Request, Response } from 'express';
import express from 'express';
import { subscribe } from 'node:diagnostics_channel';
import {
  Counts,
  WRITTEN_KEY,
  countRequests,
  requiredEnv,
  serveForBench,
} from './support/app-process';

const credentials = {
  baseUrl: requiredEnv('BENCH_SERVICE_URL'),
  clientId: 'shop',
  clientSecret: 'shop-demo-secret',
};
// The SDK's defaults: a cached copy is revalidated on every request, a 304 when unchanged.
const client = new TesseraClient(credentials);
// No cache at all: every read is a full 200 answer, the service and SDK work of a read after the
// session changed (the service compares versions either way; the SDK parses and freezes the body).
const uncachedClient = new TesseraClient({ ...credentials, cacheSize: 0 });

// What reached the service, by method and status, so the report shows that the 304 scenario
// really was answered with 304s. undici publishes every response's status on this channel.
const serviceCalls = new Counts();
subscribe('undici:request:headers', (message) => {
  const { request, response } = message as {
    request: { method: string };
    response: { statusCode: number };
  };
  serviceCalls.add(`${request.method} ${response.statusCode}`);
});

let writes = 0;

function readOne(req: Request, res: Response): void {
  if (!req.tessera) {
    res.status(401).end();
    return;
  }
  res.json({ cart: req.tessera.get('cart') });
}

function writeOne(req: Request, res: Response): void {
  if (!req.tessera) {
    res.status(401).end();
    return;
  }
  // Sent to the service as one PATCH before the response ends (the SDK delays res.end for it).
  req.tessera.set(WRITTEN_KEY, ++writes);
  res.json({ ok: true });
}

// By default a failed end-of-request flush is logged and the response still goes out as it was;
// here a lost write must count as a failed request, so it turns into a 503 (headers are not sent yet).
const onFlushError = (error: unknown, _req: Request, res: Response): void => {
  serviceCalls.add(`lost write (${(error as Error).name})`);
  if (!res.headersSent) res.status(503);
};

const app = express();
countRequests(app, serviceCalls);
app.get('/read', tesseraSession({ client, onFlushError }), readOne);
app.get('/read-uncached', tesseraSession({ client: uncachedClient, onFlushError }), readOne);
app.post('/write', tesseraSession({ client, onFlushError }), writeOne);
serveForBench(app);
