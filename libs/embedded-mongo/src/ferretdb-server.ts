import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import { findFreePort } from './free-port';

export interface FerretdbServerOptions {
  binary: string;
  /** Holds the SQLite files (one per database) and FerretDB's state; created when missing. */
  dataDir: string;
  log?: (line: string) => void;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface FerretdbServer {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null } | { error: Error };

const host = '127.0.0.1';
const keptOutputLines = 20;

/** Spawns FerretDB (SQLite backend) on a free loopback port and resolves once it answers a ping. */
export async function startFerretdb(options: FerretdbServerOptions): Promise<FerretdbServer> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const port = await findFreePort(host);
  const uri = `mongodb://${host}:${port}/`;
  const child = spawn(
    options.binary,
    [
      '--handler=sqlite',
      // A file: URL, so that unusual characters in the path survive FerretDB's URL parsing.
      `--sqlite-url=${pathToFileURL(dataDir).href}/`,
      `--listen-addr=${host}:${port}`,
      `--state-dir=${dataDir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );

  // FerretDB logs to stderr; the last lines explain a failed start.
  const output: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    output.push(line);
    if (output.length > keptOutputLines) output.shift();
    options.log?.(line);
  });

  // 'close' rather than 'exit': it comes after the last stderr line has been read.
  const exited = new Promise<Exit>((settle) => {
    child.once('close', (code, signal) => settle({ code, signal }));
    child.once('error', (error) => settle({ error }));
  });
  // Should this process end without stop(), take the server down with it rather than orphan it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate(child, exited, options.stopTimeoutMs ?? 5_000);
    return stopping;
  };

  try {
    await waitUntilAnswering(uri, exited, options.startTimeoutMs ?? 15_000);
  } catch (error) {
    await stop();
    const detail = output.length > 0 ? `\n${output.join('\n')}` : '';
    throw new Error(`FerretDB (${options.binary}) did not start: ${describe(error)}${detail}`, {
      cause: error,
    });
  }
  if (child.pid === undefined) throw new Error('FerretDB started without a pid');
  return { uri, pid: child.pid, stop };
}

/** Pings through the driver, which keeps retrying the connection until the deadline. */
async function waitUntilAnswering(
  uri: string,
  exited: Promise<Exit>,
  timeoutMs: number,
): Promise<void> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    // Re-check a refused connection quickly instead of every 500 ms.
    minHeartbeatFrequencyMS: 50,
  });
  try {
    // Both outcomes become values, so whichever loses the race cannot reject unobserved.
    const answered = client
      .db('admin')
      .command({ ping: 1 })
      .then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, reason: describe(error) }),
      );
    const died = exited.then((exit) => ({
      ok: false as const,
      reason: `it exited early (${describeExit(exit)})`,
    }));
    const outcome = await Promise.race([answered, died]);
    if (!outcome.ok) throw new Error(outcome.reason);
  } finally {
    await client.close();
  }
}

/** SIGTERM, then SIGKILL when the process has not exited within timeoutMs. */
async function terminate(
  child: ChildProcess,
  exited: Promise<Exit>,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await settlesWithin(exited, timeoutMs)) return;
  child.kill('SIGKILL');
  await exited;
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((settle) => {
    const timer = setTimeout(() => settle(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      settle(true);
    });
  });
}

function describeExit(exit: Exit): string {
  if ('error' in exit) return exit.error.message;
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
