import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RunningServer {
  readonly pid: number;
  /** Where it listens, when its arguments say so (FerretDB). */
  readonly uri?: string;
}

/**
 * A database server already running on the embedded data directory, found by the arguments that
 * libs/embedded-mongo starts it with: FerretDB's `--state-dir` / `--sqlite-url`, or mongod's
 * `--dbpath`. A second server on the same files would corrupt or hide data, so the CLI refuses.
 * Undefined when none is found; throws when the process list cannot be read at all.
 */
export async function findServerOnDataDir(dataDir: string): Promise<RunningServer | undefined> {
  const ferretdb = join(dataDir, 'ferretdb');
  const needles = [
    `--state-dir=${ferretdb}`,
    `--sqlite-url=${pathToFileURL(ferretdb).href}/`,
    `--dbpath ${join(dataDir, 'mongod')}`,
  ];
  for (const { pid, args } of await listProcesses()) {
    if (pid === process.pid) continue;
    const padded = ` ${args} `;
    if (needles.some((needle) => padded.includes(` ${needle} `))) {
      const address = / --listen-addr=(\S+) /.exec(padded)?.[1] ?? portOf(padded);
      return { pid, ...(address ? { uri: `mongodb://${address}/` } : {}) };
    }
  }
  return undefined;
}

/** mongod (mongodb-memory-server) listens on loopback at `--port`. */
function portOf(args: string): string | undefined {
  const port = / --port (\d+) /.exec(args)?.[1];
  return port ? `127.0.0.1:${port}` : undefined;
}

interface ProcessInfo {
  readonly pid: number;
  /** The arguments joined by spaces. */
  readonly args: string;
}

/** From /proc where there is one (Linux, also without `ps` in slim containers), else from `ps`. */
async function listProcesses(): Promise<ProcessInfo[]> {
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return listWithPs();
  const found: ProcessInfo[] = [];
  for (const entry of entries.filter((name) => /^\d+$/.test(name))) {
    // A process may end between the listing and the read; it is simply skipped.
    const cmdline = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    if (cmdline)
      found.push({ pid: Number(entry), args: cmdline.replace(/\0+$/, '').split('\0').join(' ') });
  }
  return found;
}

function listWithPs(): Promise<ProcessInfo[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'ps',
      ['-axww', '-o', 'pid=,command='],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(new Error(`cannot list processes with ps: ${error.message}`));
        resolve(
          stdout
            .split('\n')
            .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
            .filter((match): match is RegExpExecArray => match !== null)
            .map((match) => ({ pid: Number(match[1]), args: match[2] })),
        );
      },
    );
  });
}
