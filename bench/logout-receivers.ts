/**
 * The back-channel receivers of the single-logout fan-out benchmark, in a process of their own
 * (started by bench/logout-fanout-bench.ts), as other apps' endpoints would be. Every app's
 * endpoint is `POST /bc` on this one server, told apart by the host name
 * (`app-<i>.example.test`); each POST is answered 200 after BENCH_RECEIVER_DELAY_MS.
 *
 * The runner arms a measurement with `POST /control/arm` (the apps to wait for), then
 * `GET /control/wait` answers once every one of them has been answered: the absolute times of
 * the first arrival and the last answer (`performance.timeOrigin + performance.now()`, which
 * both processes share) and the token each app got.
 */
import express from 'express';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { requiredEnv, serveForBench } from './support/app-process';

interface Measurement {
  waiting: Set<string>;
  tokens: Record<string, string>;
  firstArrival?: number;
  lastAnswered?: number;
  finished: Promise<void>;
  finish: () => void;
}

const delayMs = Number(requiredEnv('BENCH_RECEIVER_DELAY_MS'));
const now = () => performance.timeOrigin + performance.now();
let current: Measurement | undefined;
let stray = 0;

const app = express();

app.post('/control/arm', express.json(), (req, res) => {
  const { apps } = req.body as { apps: string[] };
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  current = { waiting: new Set(apps), tokens: {}, finished, finish };
  res.json({ armed: apps.length });
});

app.get('/control/wait', async (_req, res) => {
  const measurement = current;
  if (!measurement) return void res.status(409).json({ error: 'not armed' });
  const timeoutMs = Number(_req.query.timeoutMs ?? 60_000);
  const timedOut = await Promise.race([
    measurement.finished.then(() => false),
    sleep(timeoutMs, true),
  ]);
  if (timedOut) {
    return void res
      .status(504)
      .json({ error: `${measurement.waiting.size} receivers got nothing` });
  }
  res.json({
    firstArrival: measurement.firstArrival,
    lastAnswered: measurement.lastAnswered,
    tokens: measurement.tokens,
    stray,
  });
});

app.post('/bc', express.urlencoded({ extended: false }), async (req, res) => {
  const arrived = now();
  const sent = (req.body as { logout_token?: unknown }).logout_token;
  const token = typeof sent === 'string' ? sent : '';
  const { aud } = JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}',
  ) as { aud?: string };
  const measurement = current;
  await sleep(delayMs);
  res.set('cache-control', 'no-store').status(200).end();
  if (!measurement || aud === undefined || !measurement.waiting.has(aud)) {
    stray++;
    return;
  }
  measurement.firstArrival ??= arrived;
  measurement.waiting.delete(aud);
  measurement.tokens[aud] = token;
  if (measurement.waiting.size === 0) {
    measurement.lastAnswered = now();
    measurement.finish();
  }
});

// Connections stay open between rounds, as a real sender's pool would keep them.
serveForBench(app).keepAliveTimeout = 120_000;
