/**
 * The single-logout fan-out benchmark (docs/benchmarks.md, "Single logout fan-out"): one logout
 * delivered to N = 1, 10 and 100 back-channel receivers that each answer after 50 ms, through
 * Tessera's outbox and dispatcher, side by side with the same N tokens POSTed one after another
 * (the baseline) and all at once by a bare sender (the floor this machine allows).
 *
 *   npm run bench:logout                          # builds the service, then runs this
 *   npx tsx bench/logout-fanout-bench.ts --rounds 3 --parallelism 128
 *
 * This process runs the service's module (from the build output, with its dispatcher) and the
 * baseline sender; the receivers run in a process of their own (logout-receivers.ts), as other
 * apps would. The database is the embedded FerretDB (or MONGODB_URI). Loopback only; the run
 * stops by itself, also on failure, Ctrl-C or a budget overrun.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type * as NestCore from '@nestjs/core';
import type * as Core from '@tessera/core';
import { startEmbeddedMongo } from '@tessera/embedded-mongo';
import * as argon2 from 'argon2';
import { MongoClient } from 'mongodb';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type * as AppModuleFile from '../apps/sso-server/src/app.module';
import type * as RealmsFile from '../apps/sso-server/src/config/load-realms-config';
import type * as SettingsFile from '../apps/sso-server/src/config/service-settings';
import type * as PostFile from '../apps/sso-server/src/logout/post-logout-token';
import { fromDist, requireBuilt, serviceMain } from './support/tessera-sessions';
import { mapRealmNamesToLoopback } from '../e2e/support/loopback-names';
import { ChildProcesses, childEnv, portLine } from './support/processes';
import { guardRun } from './support/run-guard';

const HOST = '127.0.0.1';
const REALM = 'bench';
const ROOT_DOMAIN = 'example.test';

function readSettings() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' },
      sizes: { type: 'string', default: process.env.BENCH_SIZES ?? '1,10,100' },
      'receiver-delay': { type: 'string', default: process.env.BENCH_RECEIVER_DELAY_MS ?? '50' },
      'dispatch-interval': {
        type: 'string',
        // Tessera's own default: new notifications are sent on hand-off, not found by the poll.
        default: process.env.BENCH_DISPATCH_INTERVAL_MS ?? '1000',
      },
      // Tessera's own default.
      parallelism: { type: 'string', default: process.env.BENCH_PARALLELISM ?? '128' },
    },
  });
  const integer = (name: keyof typeof values, min: number, max: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${values[name]}`);
    }
    return value;
  };
  const sizes = String(values.sizes)
    .split(',')
    .map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 500)) {
    throw new Error(`--sizes must be integers from 1 to 500, got ${values.sizes}`);
  }
  return {
    rounds: integer('rounds', 1, 20),
    sizes,
    receiverDelayMs: integer('receiver-delay', 0, 1000),
    dispatchIntervalMs: integer('dispatch-interval', 10, 5000),
    parallelism: integer('parallelism', 1, 1000),
  };
}
type Settings = ReturnType<typeof readSettings>;

const clientId = (i: number) => `app-${i}`;

/** What the receivers process reports for one armed measurement (bench/logout-receivers.ts). */
interface Arrivals {
  /** Absolute times, `performance.timeOrigin + performance.now()` in either process. */
  firstArrival: number;
  lastArrival: number;
  lastAnswered: number;
  tokens: Record<string, string>;
  stray: number;
}

/** The receivers, in their own process: armed before each measurement, then waited for. */
class Receivers {
  constructor(
    private readonly control: string,
    readonly port: number,
  ) {}

  uri(i: number): string {
    return `http://${clientId(i)}.${ROOT_DOMAIN}:${this.port}/bc`;
  }

  /** Arms the receivers for `apps`; the answer resolves once every one has been answered. */
  async expect(apps: string[], timeoutMs: number): Promise<{ done: Promise<Arrivals> }> {
    const armed = await fetch(`${this.control}/control/arm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apps }),
    });
    if (!armed.ok) throw new Error(`arming the receivers: ${armed.status}`);
    const done = fetch(`${this.control}/control/wait?timeoutMs=${timeoutMs}`, {
      signal: AbortSignal.timeout(timeoutMs + 5_000),
    }).then(async (answer) => {
      const body = (await answer.json()) as Arrivals & { error?: string };
      if (!answer.ok) throw new Error(`receivers: ${body.error ?? answer.status}`);
      return body;
    });
    return { done };
  }
}

/** Now on the clock the receivers process reports in. */
const absoluteNow = () => performance.timeOrigin + performance.now();

interface Sample {
  n: number;
  round: number;
  /** From the call to EndSsoSession (or the first POST) until the last receiver answered. */
  tessera: number;
  /** The same tokens POSTed one after another. */
  baseline: number;
  /** The same tokens POSTed all at once by a bare sender. */
  floor: number;
  /** EndSsoSession's own time: the end marked and the notifications recorded. */
  recorded: number;
  /** Until the first token arrived at a receiver. */
  firstArrival: number;
  /** Until the last token arrived at its receiver. */
  lastArrival: number;
  /** Until every outbox entry was recorded `delivered`. */
  settled: number;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!existsSync(serviceMain)) {
    throw new Error(`${serviceMain} is missing: build the service first (npm run build)`);
  }
  const maxN = Math.max(...settings.sizes);

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    }
  };
  // Generous: a round at N = 100 takes a few seconds of sign-ins and 5 s of baseline.
  const budgetSeconds = 120 + (settings.rounds + 1) * settings.sizes.length * 60;
  const finish = guardRun({ budgetSeconds, cleanUp, log });

  try {
    // The database: MONGODB_URI (a throwaway database, dropped at the end) or embedded FerretDB.
    const dbName = `tessera_logout_bench_${Date.now()}`;
    let uri = process.env.MONGODB_URI;
    let databaseDescription = 'MongoDB from MONGODB_URI';
    if (uri) {
      const given = uri;
      cleanups.push(async () => {
        const client = await MongoClient.connect(given);
        await client.db(dbName).dropDatabase();
        await client.close();
      });
    } else {
      log('Starting the database...');
      const dataDir = await mkdtemp(join(tmpdir(), 'tessera-logout-bench-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const embedded = await startEmbeddedMongo({ dataDir, log });
      cleanups.push(() => embedded.stop());
      uri = embedded.uri;
      databaseDescription = 'FerretDB (SQLite backend), embedded';
    }
    const mongo = await MongoClient.connect(uri, { maxPoolSize: 2 });
    cleanups.push(() => mongo.close());
    const outbox = mongo.db(dbName).collection<{ _id: string; state: string }>('logout_outbox');

    // `*.example.test` resolves to loopback for this process's undici, as in the e2e tests.
    cleanups.push(mapRealmNamesToLoopback());
    const children = new ChildProcesses();
    cleanups.push(() => children.stopAll());
    const receiversPort = await children.start({
      name: 'receivers',
      command: process.execPath,
      args: ['--import', 'tsx', join(__dirname, 'logout-receivers.ts')],
      cwd: join(__dirname, '..'),
      env: childEnv({ BENCH_RECEIVER_DELAY_MS: String(settings.receiverDelayMs) }),
      readyWhen: portLine,
    });
    const receivers = new Receivers(`http://${HOST}:${receiversPort}`, receiversPort);

    // The service's module from the build output (Nest's injection needs tsc's decorator
    // metadata), as an application context: use cases, dispatcher, sweeper; no HTTP server.
    const { NestFactory } = requireBuilt('@nestjs/core') as typeof NestCore;
    const { AppModule } = fromDist<typeof AppModuleFile>('apps/sso-server/src/app.module');
    const { loadServiceSettings } = fromDist<typeof SettingsFile>(
      'apps/sso-server/src/config/service-settings',
    );
    const { parseRealmsConfig } = fromDist<typeof RealmsFile>(
      'apps/sso-server/src/config/load-realms-config',
    );
    const { postLogoutToken } = fromDist<typeof PostFile>(
      'apps/sso-server/src/logout/post-logout-token',
    );
    const { EndSsoSession, IssueAppSession, StartSsoSession } =
      fromDist<typeof Core>('libs/core/src');

    const secretHash = await argon2.hash('bench-secret', { type: argon2.argon2id });
    const realms = parseRealmsConfig(
      {
        realms: [
          {
            name: REALM,
            rootDomain: ROOT_DOMAIN,
            apps: Array.from({ length: maxN }, (_, i) => ({
              clientId: clientId(i),
              secretHash,
              enabled: true,
              redirectUris: [],
              backchannelLogoutUri: receivers.uri(i),
              postLogoutRedirectUris: [],
              attributePolicy: { defaultScope: 'shared', sharedKeys: [], privateKeys: [] },
            })),
            identityProviders: [],
          },
        ],
      },
      'logout fan-out bench',
    );
    const serviceEnv = {
      TESSERA_LOGOUT_DISPATCH_INTERVAL_MS: String(settings.dispatchIntervalMs),
      TESSERA_LOGOUT_PARALLELISM: String(settings.parallelism),
      // Off: nothing expires during a run, and its passes would only add noise.
      TESSERA_SWEEP_INTERVAL_SECONDS: '0',
    };
    const serviceSettings = loadServiceSettings({
      MONGODB_URI: uri,
      TESSERA_DB_NAME: dbName,
      ...serviceEnv,
    });
    const context: INestApplicationContext = await NestFactory.createApplicationContext(
      AppModule.forRoot({ settings: serviceSettings, realms, mongodbUri: uri }),
      { logger: ['error', 'warn'] },
    );
    cleanups.push(() => context.close());
    const start = context.get(StartSsoSession);
    const issue = context.get(IssueAppSession);
    const end = context.get(EndSsoSession);

    let users = 0;
    let stray = 0;
    const measure = async (n: number, round: number): Promise<Sample> => {
      const apps = Array.from({ length: n }, (_, i) => clientId(i));
      // Not timed: one sign-in joined by N apps (sequential: each join writes the same document).
      const sso = await start.execute({
        realm: REALM,
        subject: `local:logout-bench-${users++}`,
        profile: { name: 'Logout Bench' },
        client: { ip: HOST, userAgent: 'tessera-logout-bench' },
      });
      for (const app of apps) await issue.execute({ ...sso, clientId: app });

      // Tessera: the end, then the dispatcher's delivery to every receiver.
      const tessera = await receivers.expect(apps, 60_000);
      const t0 = absoluteNow();
      await end.execute({ ...sso, cause: 'logout' });
      const recorded = absoluteNow() - t0;
      const arrivals = await tessera.done;
      const ids = apps.map((app) => `${sso.sessionId}:${app}`);
      const until = Date.now() + 30_000;
      while ((await outbox.countDocuments({ _id: { $in: ids }, state: 'delivered' })) < n) {
        if (Date.now() > until) throw new Error(`outbox entries not all delivered (N = ${n})`);
        await sleep(5);
      }
      const settled = absoluteNow() - t0;

      // Baseline: the same N tokens, one POST after another, to the same receivers.
      const baseline = await receivers.expect(apps, 120_000);
      const b0 = absoluteNow();
      for (const [i, app] of apps.entries()) {
        const target = receivers.uri(i);
        const attempt = await postLogoutToken(
          target,
          arrivals.tokens[app],
          AbortSignal.timeout(10_000),
        );
        if (!attempt.ok) throw new Error(`baseline POST to ${target}: ${attempt.error}`);
      }
      const baselineArrivals = await baseline.done;

      // The floor: the same N tokens POSTed all at once by a bare sender (no database, no
      // signing), which is what this machine and these receivers allow at best.
      const allAtOnce = await receivers.expect(apps, 60_000);
      const f0 = absoluteNow();
      const attempts = await Promise.all(
        apps.map((app, i) =>
          postLogoutToken(receivers.uri(i), arrivals.tokens[app], AbortSignal.timeout(10_000)),
        ),
      );
      const failed = attempts.find((attempt) => !attempt.ok);
      if (failed && !failed.ok) throw new Error(`POST all at once: ${failed.error}`);
      const floorArrivals = await allAtOnce.done;
      stray = floorArrivals.stray;

      return {
        n,
        round,
        tessera: arrivals.lastAnswered - t0,
        baseline: baselineArrivals.lastAnswered - b0,
        floor: floorArrivals.lastAnswered - f0,
        recorded,
        firstArrival: arrivals.firstArrival - t0,
        lastArrival: arrivals.lastArrival - t0,
        settled,
      };
    };

    log(`Warming up (one unrecorded logout per N)...`);
    for (const n of settings.sizes) await measure(n, 0);

    const samples: Sample[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      // The order of N is reversed every other round, so drift does not favour one size.
      const order = round % 2 === 1 ? settings.sizes : [...settings.sizes].reverse();
      for (const n of order) {
        const sample = await measure(n, round);
        samples.push(sample);
        log(
          `round ${round}/${settings.rounds}  N = ${String(n).padStart(3)}  ` +
            `Tessera ${sample.tessera.toFixed(0).padStart(5)} ms  all at once ${sample.floor.toFixed(0).padStart(5)} ms  ` +
            `one after another ${sample.baseline.toFixed(0).padStart(5)} ms`,
        );
      }
    }
    if (stray > 0) log(`${stray} unexpected POSTs (repeats) were answered`);

    const report = renderReport(samples, settings, databaseDescription, serviceEnv);
    process.stdout.write(`\n${report}`);
    const resultsDir = join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'logout-latest.md'), report);
    log(`\nWritten to bench/results/logout-latest.md`);
  } finally {
    await finish();
  }
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function renderReport(
  samples: readonly Sample[],
  settings: Settings,
  databaseDescription: string,
  serviceEnv: Record<string, string>,
): string {
  const cpu = cpus();
  const ms = (value: number) => value.toFixed(0);
  const of = (n: number, field: keyof Sample) =>
    samples.filter((s) => s.n === n).map((s) => s[field]);
  const median = (n: number, field: keyof Sample) => percentile(of(n, field), 50);
  const first = settings.sizes[0];
  const ratio = (n: number, field: keyof Sample) =>
    `${(median(n, field) / median(first, field)).toFixed(2)}×`;

  const main = [
    `| N | Tessera median (ms) | Tessera p95 (ms) | Tessera ÷ N = ${first} | all at once median (ms) | all at once ÷ N = ${first} | one after another median (ms) | one after another ÷ N = ${first} | one after another ÷ Tessera |`,
    '| --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...settings.sizes.map(
      (n) =>
        `| ${n} | ${ms(median(n, 'tessera'))} | ${ms(percentile(of(n, 'tessera'), 95))} | ${ratio(n, 'tessera')} | ` +
        `${ms(median(n, 'floor'))} | ${ratio(n, 'floor')} | ` +
        `${ms(median(n, 'baseline'))} | ${ratio(n, 'baseline')} | ` +
        `${(median(n, 'baseline') / median(n, 'tessera')).toFixed(1)}× |`,
    ),
  ].join('\n');
  const phases = [
    '| N | end recorded (EndSsoSession) | first token arrived | last token arrived | last receiver answered | outbox all `delivered` |',
    '| --: | --: | --: | --: | --: | --: |',
    ...settings.sizes.map(
      (n) =>
        `| ${n} | ${ms(median(n, 'recorded'))} | ${ms(median(n, 'firstArrival'))} | ${ms(median(n, 'lastArrival'))} | ${ms(median(n, 'tessera'))} | ${ms(median(n, 'settled'))} |`,
    ),
  ].join('\n');
  const rounds = [
    '| round | ' +
      settings.sizes
        .map((n) => `N = ${n}: Tessera / all at once / one after another (ms)`)
        .join(' | ') +
      ' |',
    '| --: | ' + settings.sizes.map(() => '--:').join(' | ') + ' |',
    ...Array.from({ length: settings.rounds }, (_, r) => {
      const cells = settings.sizes.map((n) => {
        const s = samples.find((x) => x.n === n && x.round === r + 1);
        return s ? `${ms(s.tessera)} / ${ms(s.floor)} / ${ms(s.baseline)}` : '';
      });
      return `| ${r + 1} | ${cells.join(' | ')} |`;
    }),
  ].join('\n');
  const env = Object.entries(serviceEnv)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ');

  return `# Single logout fan-out: Tessera's dispatcher vs one POST after another

- When: ${new Date().toISOString()}
- Command: \`npx tsx bench/logout-fanout-bench.ts --rounds ${settings.rounds} --sizes ${settings.sizes.join(',')} --receiver-delay ${settings.receiverDelayMs} --dispatch-interval ${settings.dispatchIntervalMs} --parallelism ${settings.parallelism}\`
- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}
- Database: ${databaseDescription}
- Service settings: ${env}
- Receivers: answer 200 after ${settings.receiverDelayMs} ms; ${settings.rounds} rounds, one logout per N and side each

Time until every receiver has answered its logout token. Medians and p95 (nearest rank) of the
rounds; "÷ N = ${first}" divides each median by the median at N = ${first}. "All at once" is the
same N tokens POSTed in parallel by a bare sender (no database, no signing): the best this
machine and these receivers allow, so Tessera's ratio can be read against it.

${main}

Tessera, medians in ms from the call to \`EndSsoSession\`:

${phases}

Every round:

${rounds}
`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
