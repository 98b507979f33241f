import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface StartOptions<T> {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Looks at each output line; the first non-undefined answer means the process is ready. */
  readyWhen: (line: string) => T | undefined;
  timeoutMs?: number;
}

const keptLines = 40;

/**
 * The benchmark's child processes: started, watched (one that dies mid-run fails the run), and
 * always stopped, SIGTERM first and SIGKILL for stragglers.
 */
export class ChildProcesses {
  readonly #running = new Map<string, ChildProcess>();
  #stopping = false;
  /** Set when a child ended on its own; checked after every load run. */
  failure: Error | undefined;

  constructor() {
    // Last resort for an exit that skipped stopAll(): never leave a child behind.
    process.once('exit', () => {
      for (const child of this.#running.values()) child.kill('SIGKILL');
    });
  }

  start<T>(options: StartOptions<T>): Promise<T> {
    const { name } = options;
    // stdin stays a pipe: the bench apps exit when it closes (support/app-process.ts).
    const child = spawn(options.command, options.args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#running.set(name, child);
    const output: string[] = [];

    return new Promise<T>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(
        () => fail(new Error(`${name} was not ready within ${options.timeoutMs ?? 30_000} ms`)),
        options.timeoutMs ?? 30_000,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        const detail =
          output.length > 0 ? `\n--- last output of ${name} ---\n${output.join('\n')}` : '';
        reject(new Error(`${error.message}${detail}`, { cause: error }));
      };
      const onLine = (line: string) => {
        output.push(line);
        if (output.length > keptLines) output.shift();
        if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
        if (ready) return;
        const value = options.readyWhen(line);
        if (value === undefined) return;
        ready = true;
        clearTimeout(timer);
        resolve(value);
      };
      createInterface({ input: child.stdout }).on('line', onLine);
      createInterface({ input: child.stderr }).on('line', onLine);
      child.once('error', fail);
      child.once('exit', (code, signal) => {
        this.#running.delete(name);
        if (this.#stopping) return;
        const error = new Error(`${name} exited (code ${code}, signal ${signal})`);
        if (!ready) return fail(error);
        this.failure ??= new Error(`${error.message}\n${output.join('\n')}`);
      });
    });
  }

  /** The pid of a running child, by the name it was started with. */
  pid(name: string): number | undefined {
    return this.#running.get(name)?.pid;
  }

  async stopAll(graceMs = 5_000): Promise<void> {
    this.#stopping = true;
    const children = [...this.#running.values()];
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.stdin?.end();
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** The environment for a child: ours without any TESSERA_* setting (the bench sets its own). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TESSERA_')),
  );
  return { ...env, ...extra };
}

/** Reads the `{"port":N}` line a bench app prints once it listens (app-process.ts). */
export const portLine = (line: string): number | undefined => {
  try {
    const { port } = JSON.parse(line) as { port?: unknown };
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
};
