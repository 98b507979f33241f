import { spawn, execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const ferretdbVersion = 'v1.24.0';

const installScript = join('tools', 'install-ferretdb.sh');

/** Where tools/install-ferretdb.sh puts the binary: keep the two in step. */
function cachedFerretdbPath(): string {
  const env = process.env;
  const cacheRoot =
    env.TESSERA_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tessera');
  return join(cacheRoot, `ferretdb-${ferretdbVersion}`, 'ferretdb');
}

/**
 * Finds a FerretDB binary: $FERRETDB_BIN, then the cache, then builds one with the install
 * script when Go is installed. Resolves undefined when there is neither a binary nor Go.
 */
export async function findFerretdbBinary(log: (line: string) => void): Promise<string | undefined> {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) {
      throw new Error(`FERRETDB_BIN=${fromEnv} is not an executable file`);
    }
    return fromEnv;
  }
  const cached = cachedFerretdbPath();
  if (await isExecutable(cached)) return cached;
  if (!(await commandRuns('go', ['version']))) return undefined;
  return runInstallScript(log);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function commandRuns(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(command, args, (error) => resolve(error === null)));
}

/** Runs the install script, forwarding its progress lines; it prints the binary's path last. */
async function runInstallScript(log: (line: string) => void): Promise<string> {
  const script = await findUp(__dirname, installScript);
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    log(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const binary = stdout.filter((line) => line.trim() !== '').pop();
  if (code !== 0 || binary === undefined) {
    throw new Error(`${script} failed (exit code ${code}):\n${stderr.slice(-20).join('\n')}`);
  }
  return binary.trim();
}

/** Walks up from `start` to the directory holding `relative`: works from src/ and from dist/. */
async function findUp(start: string, relative: string): Promise<string> {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    try {
      await access(candidate);
      return candidate;
    } catch {
      if (dirname(dir) === dir) throw new Error(`${relative} not found above ${start}`);
    }
  }
}
