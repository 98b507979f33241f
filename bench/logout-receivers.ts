/**
 * The back-channel receivers of the single-logout fan-out benchmark, in a process of their own
 * (started by bench/logout-fanout-bench.ts), as other apps' endpoints would be. Every app's
 * endpoint is `POST /bc` on this one server, told apart by the host name
 * (`app-<i>.example.test`); each POST is answered 200 after BENCH_RECEIVER_DELAY_MS. Plain
 * node:http, so the harness takes as little of the machine's two cores as it can.
 *
 * The runner arms a measurement with `POST /control/arm` (the apps to wait for), then
 * `GET /control/wait` answers once every one of them has been answered: the absolute times of
 * the first arrival and the last answer (`performance.timeOrigin + performance.now()`, which
 * both processes share) and the token each app got.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { requiredEnv, serveForBench } from './support/app-process';

interface Measurement {
  waiting: Set<string>;
  tokens: Record<string, string>;
  firstArrival?: number;
  lastArrival?: number;
  lastAnswered?: number;
  finished: Promise<void>;
  finish: () => void;
}

const delayMs = Number(requiredEnv('BENCH_RECEIVER_DELAY_MS'));
const now = () => performance.timeOrigin + performance.now();
let current: Measurement | undefined;
let stray = 0;

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function arm(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { apps } = JSON.parse(await bodyOf(req)) as { apps: string[] };
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  current = { waiting: new Set(apps), tokens: {}, finished, finish };
  json(res, 200, { armed: apps.length });
}

async function wait(url: URL, res: ServerResponse): Promise<void> {
  const measurement = current;
  if (!measurement) return json(res, 409, { error: 'not armed' });
  const timeoutMs = Number(url.searchParams.get('timeoutMs') ?? 60_000);
  const timedOut = await Promise.race([
    measurement.finished.then(() => false),
    sleep(timeoutMs, true),
  ]);
  if (timedOut) {
    return json(res, 504, { error: `${measurement.waiting.size} receivers got nothing` });
  }
  json(res, 200, {
    firstArrival: measurement.firstArrival,
    lastArrival: measurement.lastArrival,
    lastAnswered: measurement.lastAnswered,
    tokens: measurement.tokens,
    stray,
  });
}

async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrived = now();
  const token = new URLSearchParams(await bodyOf(req)).get('logout_token') ?? '';
  const { aud } = JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}',
  ) as { aud?: string };
  const measurement = current;
  await sleep(delayMs);
  res.writeHead(200, { 'cache-control': 'no-store' }).end();
  if (!measurement || aud === undefined || !measurement.waiting.has(aud)) {
    stray++;
    return;
  }
  measurement.firstArrival ??= arrived;
  measurement.lastArrival = Math.max(measurement.lastArrival ?? arrived, arrived);
  measurement.waiting.delete(aud);
  measurement.tokens[aud] = token;
  if (measurement.waiting.size === 0) {
    measurement.lastAnswered = now();
    measurement.finish();
  }
}

const server = serveForBench((req, res) => {
  const url = new URL(req.url ?? '/', 'http://receivers');
  const route = `${req.method} ${url.pathname}`;
  const handled =
    route === 'POST /bc'
      ? receive(req, res)
      : route === 'POST /control/arm'
        ? arm(req, res)
        : route === 'GET /control/wait'
          ? wait(url, res)
          : Promise.resolve(json(res, 404, { error: 'not found' }));
  handled.catch((error: unknown) => json(res, 500, { error: String(error) }));
});
// Connections stay open between rounds, as a real sender's pool would keep them.
server.keepAliveTimeout = 120_000;
