import type { Express } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What both apps store and read: the same data on each side, so the payloads compare. */
export const benchUser = (i: number) => ({
  subject: `local:bench-${i}`,
  realm: 'example',
  profile: { name: `Bench User ${i}` },
});
export const benchAttributes = { cart: ['sku-1001', 'sku-2002', 'sku-3003'], theme: 'dark' };

/** The attribute that `POST /write` sets on both sides. */
export const WRITTEN_KEY = 'lastVisit';

/**
 * Listens on a free loopback port and tells the runner which one with a `{"port":N}` line on
 * stdout. The runner holds this process's stdin open: when it closes (the runner ended, even by
 * SIGKILL), this process ends too, so no app outlives a benchmark.
 */
export function serveForBench(handler: RequestListener): Server {
  const server = createServer(handler).listen(0, '127.0.0.1');
  server.once('listening', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
  server.once('error', (error) => {
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
  process.stdin.on('end', () => process.exit(0)).resume();
  process.once('SIGTERM', () => process.exit(0));
  return server;
}

/** Counts of named events since the last read. */
export class Counts {
  #counts = new Map<string, number>();

  add(name: string): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
  }

  /** Returns the counts and starts again from zero. */
  take(): Record<string, number> {
    const taken = Object.fromEntries(this.#counts);
    this.#counts = new Map();
    return taken;
  }
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set (this process is started by bench/session-bench.ts)`);
  return value;
}

/**
 * `GET /bench/counts` for the runner: how many requests this app finished since the last call,
 * and `calls` (Tessera: its calls to the service). It answers once no request is in flight, so a
 * run's late requests are counted in that run. Install before the routes.
 */
export function countRequests(app: Express, calls = new Counts()): void {
  let started = 0;
  let finished = 0;
  app.use((req, res, next) => {
    if (req.path.startsWith('/bench/')) return next();
    started++;
    res.once('close', () => finished++);
    next();
  });
  app.get('/bench/counts', async (_req, res) => {
    for (let waited = 0; started !== finished && waited < 10_000; waited += 20) await sleep(20);
    res.json({ served: finished, inFlight: started - finished, calls: calls.take() });
    started -= finished;
    finished = 0;
  });
}
