import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat times. */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The fields after `(comm)` in /proc/<pid>/stat: [0] is the state, [1] the parent, [11]/[12] user/system time. */
function statFields(pid: number): { comm: string; rest: string[] } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return {
      comm: stat.slice(stat.indexOf('(') + 1, close),
      rest: stat.slice(close + 2).split(' '),
    };
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** CPU seconds (user + system) a process has used so far; undefined where /proc cannot tell. */
export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  return (Number(fields.rest[11]) + Number(fields.rest[12])) / ticksPerSecond;
}

/** The pid of this process's child named `comm` (e.g. the embedded `ferretdb`), if /proc shows one. */
export function childPidNamed(comm: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields?.comm === comm && Number(fields.rest[1]) === process.pid) return pid;
  }
  return undefined;
}
