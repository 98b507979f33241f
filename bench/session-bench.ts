/**
 * The session benchmark (docs/benchmarks.md): Tessera through its SDK against the usual
 * express-session + connect-mongo stack, side by side in one run, on one database server.
 *
 *   npm run bench                       # builds the service, then runs this
 *   npx tsx bench/session-bench.ts --rounds 3 --seconds 3
 *
 * Each of these is its own process, so no two share an event loop: the database (FerretDB, or
 * MONGODB_URI), the Tessera service (its build output), the SDK app, the baseline app, and this
 * runner, which drives the load with autocannon. Loopback only; every run stops by itself.
 */
import { startEmbeddedMongo } from '@tessera/embedded-mongo';
import { MongoClient } from 'mongodb';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { childPidNamed, cpuSeconds } from './support/cpu';
import { runLoad } from './support/load';
import { ChildProcesses, childEnv, portLine } from './support/processes';
import type { CpuRole, Run, Scenario, Side } from './support/report';
import { SIDES, callsTable, cpuTable, resultsTable, roundsTable } from './support/report';
import { mapInBatches, openTesseraSessions, serviceMain } from './support/tessera-sessions';
import { guardRun } from './support/run-guard';

const HOST = '127.0.0.1';
const repoRoot = join(__dirname, '..');

const scenarios: readonly Scenario[] = [
  { title: 'read, unchanged (304)', method: 'GET', path: '/read' },
  { title: 'read, full answer (200)', method: 'GET', path: '/read-uncached' },
  { title: 'write one attribute', method: 'POST', path: '/write' },
];

function readSettings() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' },
      seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '5' },
      warmup: { type: 'string', default: process.env.BENCH_WARMUP_SECONDS ?? '3' },
      connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
      users: { type: 'string', default: process.env.BENCH_USERS ?? '50' },
      // Tessera's default; the baseline's connect-mongo `touchAfter` is set to match.
      'touch-interval': {
        type: 'string',
        default: process.env.BENCH_TOUCH_INTERVAL_SECONDS ?? '5',
      },
    },
  });
  const integer = (name: keyof typeof values, max: number, min = 1) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${values[name]}`);
    }
    return value;
  };
  // The caps keep a run bounded: at most 20 × 3 × 2 × 60 s of load.
  return {
    rounds: integer('rounds', 20),
    seconds: integer('seconds', 60),
    warmupSeconds: integer('warmup', 30),
    connections: integer('connections', 200),
    users: integer('users', 10_000),
    touchIntervalSeconds: integer('touch-interval', 3600, 0),
  };
}
type Settings = ReturnType<typeof readSettings>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Database {
  uri: string;
  dbName: string;
  description: string;
  /** Commands run so far, by name (serverStatus `metrics.commands`, on MongoDB and FerretDB alike). */
  commandTotals(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

// Not the apps' work: the runner's own counting and the drivers' connection upkeep.
const HOUSEKEEPING = new Set([
  'serverStatus',
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'endSessions',
]);

/** MONGODB_URI if set (in a throwaway database), else the embedded FerretDB in a temporary folder. */
async function startDatabase(log: (line: string) => void): Promise<Database> {
  const dbName = `tessera_bench_${Date.now()}`;
  const given = process.env.MONGODB_URI;
  let uri: string;
  let stopServer = async () => {};
  if (given) {
    uri = given;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
    const embedded = await startEmbeddedMongo({ dataDir, log });
    uri = embedded.uri;
    stopServer = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const client = await MongoClient.connect(uri, { maxPoolSize: 1 });
  const admin = client.db('admin');
  const info = await admin.command({ buildInfo: 1 });
  const description =
    typeof info.ferretdbVersion === 'string'
      ? `FerretDB ${info.ferretdbVersion} (SQLite backend)`
      : `MongoDB ${String(info.version)}`;
  return {
    uri,
    dbName,
    description: given ? `${description} from MONGODB_URI` : `${description}, embedded`,
    commandTotals: async () => {
      const status = await admin.command({ serverStatus: 1 });
      const commands = (status.metrics?.commands ?? {}) as Record<string, { total?: unknown }>;
      return Object.fromEntries(
        Object.entries(commands)
          .filter(([name]) => !HOUSEKEEPING.has(name))
          .map(([name, { total }]) => [name, Number(total ?? 0)]),
      );
    },
    stop: async () => {
      try {
        if (given) await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
        await stopServer();
      }
    },
  };
}

/** The database's command totals once it has run no command for a moment (a quarter second). */
async function settledTotals(db: Database): Promise<Record<string, number>> {
  const sum = (totals: Record<string, number>) => Object.values(totals).reduce((a, b) => a + b, 0);
  let last = await db.commandTotals();
  for (let waited = 0; waited < 10_000; waited += 250) {
    await sleep(250);
    const now = await db.commandTotals();
    if (sum(now) === sum(last)) return now;
    last = now;
  }
  return last;
}

function difference(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after).map(([name, total]) => [name, total - (before[name] ?? 0)]),
  );
}

interface AppCounts {
  served: number;
  inFlight: number;
  calls: Record<string, number>;
}

/** The app's counts since the last call (support/app-process.ts), once its requests have drained. */
async function takeCounts(appUrl: string): Promise<AppCounts> {
  const response = await fetch(`${appUrl}/bench/counts`);
  if (!response.ok) throw new Error(`GET ${appUrl}/bench/counts: ${response.status}`);
  return (await response.json()) as AppCounts;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!existsSync(serviceMain)) {
    throw new Error(`${serviceMain} is missing: build the service first (npm run build)`);
  }

  const children = new ChildProcesses();
  let database: Database | undefined;
  const cleanUp = async () => {
    await children.stopAll();
    await database?.stop();
  };
  // Ctrl-C, or a budget overrun, still takes every process and the temporary data down.
  // Signing users in takes a while on FerretDB (about 0.3 s per user here), hence the allowance.
  const budgetSeconds =
    (settings.rounds * settings.seconds + settings.warmupSeconds) *
      scenarios.length *
      SIDES.length +
    300 +
    settings.users;
  const finish = guardRun({ budgetSeconds, cleanUp, log });

  try {
    log('Starting the database...');
    database = await startDatabase(log);
    const { uri, dbName } = database;
    log(`Database: ${database.description}`);

    const servicePort = await freePort();
    const serviceUrl = `http://${HOST}:${servicePort}`;
    await children.start({
      name: 'service',
      command: process.execPath,
      args: [serviceMain],
      env: childEnv({
        MONGODB_URI: uri,
        PORT: String(servicePort),
        TESSERA_HOST: HOST,
        TESSERA_DB_NAME: dbName,
        TESSERA_TOUCH_INTERVAL_SECONDS: String(settings.touchIntervalSeconds),
      }),
      readyWhen: (line) => (line.includes('Tessera is listening on') ? true : undefined),
      timeoutMs: 60_000,
    });
    log(`Service: ${serviceUrl}`);

    const startApp = (name: Side, file: string) =>
      children.start({
        name: `${name} app`,
        command: process.execPath,
        args: ['--import', 'tsx', join(__dirname, file)],
        cwd: repoRoot,
        env: childEnv({
          BENCH_SERVICE_URL: serviceUrl,
          BENCH_MONGODB_URI: uri,
          BENCH_DB_NAME: dbName,
          BENCH_TOUCH_INTERVAL_SECONDS: String(settings.touchIntervalSeconds),
        }),
        readyWhen: portLine,
      });
    const [tesseraPort, baselinePort] = await Promise.all([
      startApp('tessera', 'sdk-app.ts'),
      startApp('baseline', 'baseline-app.ts'),
    ]);
    const appUrl: Record<Side, string> = {
      tessera: `http://${HOST}:${tesseraPort}`,
      baseline: `http://${HOST}:${baselinePort}`,
    };

    log(`Signing in ${settings.users} users on each side...`);
    const tokens = await openTesseraSessions({
      mongodbUri: uri,
      dbName,
      serviceUrl,
      count: settings.users,
    });
    const baselineCookies = await mapInBatches(settings.users, async (i) => {
      const response = await fetch(`${appUrl.baseline}/login/${i}`, { method: 'POST' });
      const cookie = response.headers.getSetCookie()[0];
      if (response.status !== 204 || cookie === undefined) {
        throw new Error(`baseline login ${i}: ${response.status} without a session cookie`);
      }
      return cookie.split(';')[0];
    });
    const cookies: Record<Side, string[]> = {
      tessera: tokens.map((token) => `tessera_app=${token}`),
      baseline: baselineCookies,
    };

    const db = database;
    // CPU time by role, where /proc shows it (Linux); the database only when it is ours.
    const databasePid = childPidNamed('ferretdb') ?? childPidNamed('mongod');
    const pids: Record<Exclude<CpuRole, 'load generator'>, Record<Side, number | undefined>> = {
      app: { tessera: children.pid('tessera app'), baseline: children.pid('baseline app') },
      service: { tessera: children.pid('service'), baseline: children.pid('service') },
      database: { tessera: databasePid, baseline: databasePid },
    };
    const cpuNow = (side: Side): Partial<Record<CpuRole, number>> => {
      const { user, system } = process.cpuUsage();
      const used: Partial<Record<CpuRole, number>> = { 'load generator': (user + system) / 1e6 };
      for (const role of ['app', 'service', 'database'] as const) {
        const pid = pids[role][side];
        const seconds = pid === undefined ? undefined : cpuSeconds(pid);
        if (seconds !== undefined) used[role] = seconds;
      }
      return used;
    };

    const measure = async (scenario: Scenario, side: Side, seconds: number) => {
      await takeCounts(appUrl[side]); // from zero
      const commandsBefore = await settledTotals(db);
      const cpuBefore = cpuNow(side);
      const result = await runLoad({
        url: appUrl[side],
        method: scenario.method,
        path: scenario.path,
        cookies: cookies[side],
        connections: settings.connections,
        seconds,
      });
      // Requests cut off when autocannon stopped still run to their end in the app, the service and
      // the database: wait for all three, then count them with the run that sent them.
      await settledTotals(db);
      const counts = await takeCounts(appUrl[side]);
      const databaseCommands = difference(await settledTotals(db), commandsBefore);
      const cpuAfter = cpuNow(side);
      const cpu = Object.fromEntries(
        Object.entries(cpuAfter).map(([role, used]) => [
          role,
          used - (cpuBefore[role as CpuRole] ?? used),
        ]),
      );
      if (children.failure) throw children.failure;
      // Recorded, not fatal: a side that fails under load is a result too (see the report).
      if (result.failed > 0) log(`  ${side} ${scenario.path}: ${result.failed} requests failed`);
      return { result, served: counts.served, serviceCalls: counts.calls, databaseCommands, cpu };
    };

    // Not recorded: JIT warm-up, connection pools, and the SDK's cache filled for every user.
    log(`Warming up (${settings.warmupSeconds} s per scenario and side)...`);
    for (const scenario of scenarios) {
      for (const side of SIDES) await measure(scenario, side, settings.warmupSeconds);
    }

    const runs: Run[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      // Interleaved, and the order swapped every round, so drift does not favour one side.
      const order = round % 2 === 1 ? SIDES : [...SIDES].reverse();
      for (const scenario of scenarios) {
        for (const side of order) {
          const measured = await measure(scenario, side, settings.seconds);
          runs.push({ scenario, side, round, ...measured });
          const { result } = measured;
          log(
            `round ${round}/${settings.rounds}  ${scenario.title.padEnd(30)} ${side.padEnd(8)} ` +
              `${result.requestsPerSecond.toFixed(0).padStart(5)} req/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms`,
          );
        }
      }
    }

    const report = renderReport(runs, settings, database.description);
    process.stdout.write(`\n${report}`);
    const resultsDir = join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'latest.md'), report);
    log(`\nWritten to bench/results/latest.md`);
  } finally {
    await finish();
  }
}

function renderReport(
  runs: readonly Run[],
  settings: Settings,
  databaseDescription: string,
): string {
  const cpu = cpus();
  return `# Session benchmark: Tessera through its SDK vs express-session + connect-mongo

- When: ${new Date().toISOString()}
- Command: \`npm run bench -- --rounds ${settings.rounds} --seconds ${settings.seconds} --warmup ${settings.warmupSeconds} --connections ${settings.connections} --users ${settings.users} --touch-interval ${settings.touchIntervalSeconds}\`
- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}; database, service, both apps and the load generator all on this machine
- Database: ${databaseDescription}, shared by both sides
- Load: autocannon, ${settings.connections} connections, ${settings.users} users per side taken in turn, ${settings.rounds} rounds of ${settings.seconds} s per scenario and side, interleaved
- Touch interval: ${settings.touchIntervalSeconds} s on both sides (Tessera's \`TESSERA_TOUCH_INTERVAL_SECONDS\`, connect-mongo's \`touchAfter\`)

Medians of the rounds; the ratio is the median of the per-round Tessera / baseline ratios
(req/s: above 1 is faster; latency: below 1 is faster).

${resultsTable(runs, scenarios)}

Per request, counted during the runs:

${callsTable(runs, scenarios)}

CPU time per request in milliseconds, over all rounds (from /proc; the database's only when it is
the embedded one). The machine has ${cpu.length} cores, so the total bounds the throughput:

${cpuTable(runs, scenarios)}

Every round (req/s, with p99 in ms):

${roundsTable(runs, scenarios)}
`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
