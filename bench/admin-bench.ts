/**
 * The admin API benchmark (docs/benchmarks.md, "Admin API at 100,000 principals"): seeds N
 * principals (default 100,000) with sessions over several apps, some ended or expired, starts
 * the real service over HTTP, and times the online-users first page, a deep page reached by
 * following cursors, the count of online principals and the statistics call, each next to an
 * honest baseline (skip/offset for the deep page, a count that reads every principal's sessions
 * instead of the summary field).
 *
 *   npm run bench:admin                            # builds the service, then runs this
 *   npx tsx bench/admin-bench.ts --principals 20000 --rounds 3 --samples 5
 *
 * The database is the embedded FerretDB (or MONGODB_URI, in a throwaway database). Loopback
 * only; the run stops by itself, also on failure, Ctrl-C or a budget overrun.
 */
import type * as Core from '@tessera/core';
import type * as Persistence from '@tessera/persistence';
import { startEmbeddedMongo } from '@tessera/embedded-mongo';
import { MongoClient } from 'mongodb';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type * as Mongoose from 'mongoose';
import type * as MapperFile from '../libs/persistence/src/principal/principal.mapper';
import type { Seeded } from './support/admin-seed';
import { ABSOLUTE_MS, IDLE_MS, seedPrincipals } from './support/admin-seed';
import { percentile } from './support/load';
import { ChildProcesses } from './support/processes';
import { guardRun } from './support/run-guard';
import { fromDist, requireBuilt, serviceMain } from './support/tessera-sessions';

const HOST = '127.0.0.1';
const PAGE = 50;
/** The admin lists' largest page. */
const MAX_LIMIT = 200;

function readSettings() {
  const { values } = parseArgs({
    options: {
      principals: { type: 'string', default: process.env.BENCH_PRINCIPALS ?? '100000' },
      rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
      samples: { type: 'string', default: process.env.BENCH_SAMPLES ?? '5' },
      'deep-page': { type: 'string', default: process.env.BENCH_DEEP_PAGE ?? '200' },
    },
  });
  const integer = (name: keyof typeof values, min: number, max: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${values[name]}`);
    }
    return value;
  };
  return {
    principals: integer('principals', 1000, 1_000_000),
    rounds: integer('rounds', 1, 20),
    samples: integer('samples', 1, 50),
    deepPage: integer('deep-page', 2, 2000),
  };
}
type Settings = ReturnType<typeof readSettings>;

/** One timed operation per name, Tessera's and its baseline's. */
const MEASURES = [
  ['first page (HTTP, with total)', 'same page + total, skip/offset (DB)'],
  ['deep page by cursor (HTTP, with total)', 'deep page by skip/offset (DB)'],
  ['count online (summary field, DB)', 'count online by reading sessions (DB)'],
  ['statistics (HTTP, per-instance cache)', 'statistics computed, cache miss (DB)'],
] as const;
type Measure = (typeof MEASURES)[number][number];

async function main(): Promise<void> {
  const settings = readSettings();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!existsSync(serviceMain)) {
    throw new Error(`${serviceMain} is missing: build the service first (npm run bench:admin)`);
  }
  const children = new ChildProcesses();
  const cleanups: (() => Promise<unknown>)[] = [() => children.stopAll()];
  const budgetSeconds = 600 + Math.ceil(settings.principals / 100) + settings.rounds * 300;
  const finish = guardRun({
    budgetSeconds,
    log,
    cleanUp: async () => {
      for (const cleanUp of cleanups.reverse()) await cleanUp().catch(() => undefined);
    },
  });

  try {
    const dbName = `tessera_admin_bench_${Date.now()}`;
    let uri = process.env.MONGODB_URI;
    if (!uri) {
      const dataDir = await mkdtemp(join(tmpdir(), 'tessera-admin-bench-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const embedded = await startEmbeddedMongo({ dataDir, log });
      cleanups.push(() => embedded.stop());
      uri = embedded.uri;
    }
    const client = await MongoClient.connect(uri, { maxPoolSize: 4 });
    cleanups.push(() => client.close());
    const db = client.db(dbName);
    if (process.env.MONGODB_URI) cleanups.push(() => db.dropDatabase());
    const info = await client.db('admin').command({ buildInfo: 1 });
    const database =
      typeof info.ferretdbVersion === 'string'
        ? `FerretDB ${info.ferretdbVersion} (SQLite backend), embedded`
        : `MongoDB ${String(info.version)}`;
    log(`Database: ${database}`);

    const now = Date.now();
    log(`Seeding ${settings.principals} principals...`);
    const seedStart = performance.now();
    const seeded = await seedPrincipals(db, settings.principals, now);
    log(
      `Seeded in ${((performance.now() - seedStart) / 1000).toFixed(0)} s: ${JSON.stringify(seeded)}`,
    );

    // The real service over HTTP, with a bootstrap admin token of our own.
    const adminToken = `tsk.${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const port = await freePort();
    const serviceUrl = `http://${HOST}:${port}`;
    const started = performance.now();
    await children.start({
      name: 'service',
      command: process.execPath,
      args: [serviceMain],
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => !name.startsWith('TESSERA_')),
        ),
        MONGODB_URI: uri,
        PORT: String(port),
        TESSERA_HOST: HOST,
        TESSERA_DB_NAME: dbName,
        TESSERA_BOOTSTRAP_ADMIN_TOKEN: adminToken,
        // Off: the expired sessions stay as seeded, so every run sees the same data.
        TESSERA_SWEEP_INTERVAL_SECONDS: '0',
      },
      readyWhen: (line) => (line.includes('Tessera is listening on') ? true : undefined),
      timeoutMs: 300_000,
    });
    log(`Service up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${serviceUrl}`);
    const get = async (path: string) => {
      const response = await fetch(`${serviceUrl}/admin/v1${path}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as {
        items: { principalId: string }[];
        total: number;
        nextCursor?: string;
      };
    };

    // The service's own read side, on a connection of the bench, for the DB-level figures.
    const mongoose = requireBuilt('mongoose') as typeof Mongoose;
    const connection = await mongoose.createConnection(uri, { dbName, maxPoolSize: 2 }).asPromise();
    cleanups.push(() => connection.close());
    const persistence = fromDist<typeof Persistence>('libs/persistence/src');
    const core = fromDist<typeof Core>('libs/core/src');
    const mapper = fromDist<typeof MapperFile>('libs/persistence/src/principal/principal.mapper');
    const model = connection.model(persistence.PRINCIPAL_MODEL, persistence.PrincipalSchema);
    const online = new persistence.MongoOnlinePrincipals(model as never);
    const timeouts = {
      idleTimeoutMs: IDLE_MS,
      absoluteLifetimeMs: ABSOLUTE_MS,
      touchIntervalMs: 5000,
    };

    const order = { lastActivityAt: -1, _id: -1 } as const;
    const liveFilter = () => ({ liveUntil: { $gt: new Date() } });
    const skipPage = async (page: number) => {
      const [items, total] = await Promise.all([
        model
          .find(liveFilter())
          .sort(order)
          .skip((page - 1) * PAGE)
          .limit(PAGE)
          .lean()
          .exec(),
        model.countDocuments(liveFilter()).exec(),
      ]);
      return { items: items.map((d) => String(d._id)), total };
    };
    const countByReading = async () => {
      let count = 0;
      const at = Date.now();
      for await (const doc of model
        .find({}, { sessions: 1, realm: 1, subject: 1 })
        .lean()
        .cursor()) {
        const { sessions } = mapper.toPrincipalWithSessions(doc);
        if ([...sessions.values()].some((s) => core.isSessionLive(s, timeouts, at))) count++;
      }
      return count;
    };

    // The deep page: reached once by following cursors (checked against skip/offset), then timed.
    // Followed in pages of the largest limit, so fewer calls reach the same depth.
    const depth = (settings.deepPage - 1) * PAGE;
    log(`Following cursors to page ${settings.deepPage} (${depth} principals in)...`);
    const follow0 = performance.now();
    let cursor: string | undefined;
    let first: Awaited<ReturnType<typeof get>> | undefined;
    for (let seen = 0; seen < depth;) {
      const limit = Math.min(MAX_LIMIT, depth - seen);
      const answer = await get(`/online-users?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      first ??= answer;
      seen += answer.items.length;
      cursor = answer.nextCursor;
      if (!cursor) throw new Error(`only ${seen} online: seed more or pick a lower --deep-page`);
    }
    log(`  reached in ${((performance.now() - follow0) / 1000).toFixed(0)} s`);
    const deepPath = `/online-users?limit=${PAGE}&cursor=${cursor}`;
    const deep = await get(deepPath);
    const deepBySkip = await skipPage(settings.deepPage);
    const sameItems =
      JSON.stringify(deep.items.map((i) => i.principalId)) === JSON.stringify(deepBySkip.items);
    const countsAgree =
      (await countByReading()) === first!.total && deepBySkip.total === first!.total;
    log(
      `  keyset and skip/offset agree on the page: ${sameItems}; the counts agree: ${countsAgree}`,
    );

    const operations: Record<Measure, () => Promise<unknown>> = {
      'first page (HTTP, with total)': () => get(`/online-users?limit=${PAGE}`),
      'same page + total, skip/offset (DB)': () => skipPage(1),
      'deep page by cursor (HTTP, with total)': () => get(deepPath),
      'deep page by skip/offset (DB)': () => skipPage(settings.deepPage),
      'count online (summary field, DB)': () => online.count({}, Date.now()),
      'count online by reading sessions (DB)': countByReading,
      'statistics (HTTP, per-instance cache)': () => get('/statistics'),
      'statistics computed, cache miss (DB)': () => online.totals(Date.now()),
    };
    const samples = new Map<Measure, number[]>();
    const perRoundMedians = new Map<Measure, number[]>();
    log('Warming up...');
    for (const operation of Object.values(operations)) await operation();
    for (let round = 1; round <= settings.rounds; round++) {
      for (const pair of MEASURES) {
        for (const name of round % 2 === 1 ? pair : [...pair].reverse()) {
          const times: number[] = [];
          // The slow baseline counts once a round: it reads every document.
          const n = name === 'count online by reading sessions (DB)' ? 1 : settings.samples;
          for (let i = 0; i < n; i++) {
            const t0 = performance.now();
            await operations[name]();
            times.push(performance.now() - t0);
          }
          samples.set(name, [...(samples.get(name) ?? []), ...times]);
          perRoundMedians.set(name, [
            ...(perRoundMedians.get(name) ?? []),
            percentile(
              [...times].sort((a, b) => a - b),
              0.5,
            ),
          ]);
          log(
            `round ${round}/${settings.rounds}  ${name.padEnd(42)} p50 ${percentile(
              [...times].sort((a, b) => a - b),
              0.5,
            )
              .toFixed(0)
              .padStart(6)} ms`,
          );
        }
      }
      if (children.failure) throw children.failure;
    }

    const plans = await explainPlans(db, now);
    const report = renderReport({
      settings,
      database,
      seeded,
      samples,
      perRoundMedians,
      plans,
      sameItems,
      countsAgree,
      total: first!.total,
    });
    process.stdout.write(`\n${report}`);
    const resultsDir = join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'admin-latest.md'), report);
    log('\nWritten to bench/results/admin-latest.md');
  } finally {
    await finish();
  }
}

/** What the server says it does for each query (FerretDB: its SQL plan; MongoDB: winning plan). */
async function explainPlans(db: ReturnType<MongoClient['db']>, now: number) {
  const principals = db.collection('principals');
  const live = { liveUntil: { $gt: new Date(now) } };
  const describe = (explained: Record<string, unknown>) => {
    const planner = explained.queryPlanner as Record<string, unknown> | undefined;
    return JSON.stringify(planner?.winningPlan ?? planner?.Plan ?? explained).slice(0, 400);
  };
  const keyset: Record<string, unknown> = {
    ...live,
    $or: [
      { lastActivityAt: { $lt: new Date(now) } },
      { lastActivityAt: new Date(now), _id: { $lt: 'x' } },
    ],
  };
  const sort = { lastActivityAt: -1, _id: -1 } as const;
  return {
    'first page': describe(await principals.find(live).sort(sort).limit(51).explain()),
    'deep page by cursor': describe(await principals.find(keyset).sort(sort).limit(51).explain()),
    'count online': describe(await db.command({ explain: { count: 'principals', query: live } })),
    'sessions per app': describe(
      await principals
        .aggregate([
          { $match: live },
          { $unwind: '$sessionApps' },
          { $group: { _id: '$sessionApps.c', n: { $sum: 1 } } },
        ])
        .explain(),
    ),
  };
}

function renderReport(input: {
  settings: Settings;
  database: string;
  seeded: Seeded;
  samples: Map<Measure, number[]>;
  perRoundMedians: Map<Measure, number[]>;
  plans: Record<string, string>;
  sameItems: boolean;
  countsAgree: boolean;
  total: number;
}): string {
  const { settings, samples, perRoundMedians } = input;
  const cpu = cpus();
  const stat = (name: Measure, p: number) =>
    percentile(
      [...(samples.get(name) ?? [])].sort((a, b) => a - b),
      p,
    );
  const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
  const rows = MEASURES.map(([tessera, baseline]) => {
    const ratio = stat(baseline, 0.5) / stat(tessera, 0.5);
    return `| ${tessera} | ${ms(stat(tessera, 0.5))} | ${ms(stat(tessera, 0.99))} | ${baseline} | ${ms(stat(baseline, 0.5))} | ${ms(stat(baseline, 0.99))} | ${ratio.toFixed(1)}× |`;
  });
  const rounds = [...perRoundMedians].map(
    ([name, medians]) => `| ${name} | ${medians.map(ms).join(' / ')} |`,
  );
  const plans = Object.entries(input.plans).map(([name, plan]) => `- ${name}: \`${plan}\``);
  return `# Admin API at ${settings.principals.toLocaleString('en')} principals

- When: ${new Date().toISOString()}
- Command: \`npx tsx bench/admin-bench.ts --principals ${settings.principals} --rounds ${settings.rounds} --samples ${settings.samples} --deep-page ${settings.deepPage}\`
- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}
- Database: ${input.database}
- Seeded: ${JSON.stringify(input.seeded)}; online principals (the list's total): ${input.total}
- Checks: the deep page by cursor equals the same page by skip/offset: ${input.sameItems}; the summary count equals the count by reading sessions: ${input.countsAgree}

Milliseconds; p50 and p99 (nearest rank) over ${settings.rounds} rounds of ${settings.samples} calls (the
session-reading baseline count: one call a round). The page size is ${PAGE}; the deep page is
page ${settings.deepPage}. HTTP figures include the service's count of all matches in the same call.

| Tessera | p50 | p99 | baseline | p50 | p99 | baseline ÷ Tessera (p50) |
| --- | --: | --: | --- | --: | --: | --: |
${rows.join('\n')}

Medians of each round:

| operation | rounds |
| --- | --- |
${rounds.join('\n')}

Plans the server reported:

${plans.join('\n')}
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
