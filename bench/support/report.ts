import type { LoadResult } from './load';
import { median } from './load';

export type Side = 'tessera' | 'baseline';
export const SIDES: readonly Side[] = ['tessera', 'baseline'];
export const SIDE_NAMES: Record<Side, string> = {
  tessera: 'Tessera (SDK)',
  baseline: 'baseline (express-session + connect-mongo)',
};

export interface Scenario {
  title: string;
  method: 'GET' | 'POST';
  path: string;
}

export type CpuRole = 'load generator' | 'app' | 'service' | 'database';
export const CPU_ROLES: readonly CpuRole[] = ['load generator', 'app', 'service', 'database'];

export interface Run {
  scenario: Scenario;
  side: Side;
  round: number;
  result: LoadResult;
  /** Requests the app finished during the run, those cut off when the load stopped included. */
  served: number;
  /** Calls from the SDK to the service, by method and status (none on the baseline side). */
  serviceCalls: Record<string, number>;
  /** Commands the database server ran during the run, by name, from its serverStatus. */
  databaseCommands: Record<string, number>;
  /** CPU seconds each process used during the run, where it could be measured. */
  cpu: Partial<Record<CpuRole, number>>;
}

export interface Summary {
  scenario: Scenario;
  side: Side;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Over all rounds: non-2xx answers (a lost write included), connection errors, timeouts. */
  failed: number;
}

export interface Ratios {
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

const runsOf = (runs: readonly Run[], scenario: Scenario, side: Side) =>
  runs.filter((r) => r.scenario === scenario && r.side === side).sort((a, b) => a.round - b.round);

/** The median of the rounds, each figure on its own. */
export function summarize(runs: readonly Run[], scenario: Scenario, side: Side): Summary {
  const mine = runsOf(runs, scenario, side);
  return {
    scenario,
    side,
    requestsPerSecond: median(mine.map((r) => r.result.requestsPerSecond)),
    p50: median(mine.map((r) => r.result.p50)),
    p99: median(mine.map((r) => r.result.p99)),
    failed: mine.reduce((sum, r) => sum + r.result.failed, 0),
  };
}

/**
 * Tessera / baseline, as the median of the per-round ratios: the two sides of a round ran
 * back to back, so a slow spell of this noisy machine weighs on both and cancels out.
 */
export function ratios(runs: readonly Run[], scenario: Scenario): Ratios {
  const tessera = runsOf(runs, scenario, 'tessera');
  const baseline = runsOf(runs, scenario, 'baseline');
  const paired = (figure: keyof Ratios) =>
    median(tessera.map((t, i) => t.result[figure] / baseline[i].result[figure]));
  return { requestsPerSecond: paired('requestsPerSecond'), p50: paired('p50'), p99: paired('p99') };
}

/** Calls per request over all rounds, e.g. `GET 304 ×1.00, PATCH 200 ×1.00`. */
export function callsPerRequest(
  runs: readonly Run[],
  scenario: Scenario,
  side: Side,
  calls: 'serviceCalls' | 'databaseCommands',
): string {
  const mine = runsOf(runs, scenario, side);
  const requests = mine.reduce((sum, r) => sum + r.served, 0);
  const totals = new Map<string, number>();
  for (const run of mine) {
    for (const [name, count] of Object.entries(run[calls])) {
      totals.set(name, (totals.get(name) ?? 0) + count);
    }
  }
  return (
    [...totals]
      .map(([name, count]) => [name, count / requests] as const)
      // Below one in a hundred requests is housekeeping (driver heartbeats, the runner's counting).
      .filter(([, perRequest]) => perRequest >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .map(([name, perRequest]) => `${name} ×${perRequest.toFixed(2)}`)
      .join(', ') || 'none'
  );
}

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

export function resultsTable(runs: readonly Run[], scenarios: readonly Scenario[]): string {
  const lines = [
    '| scenario | side | req/s | p50 (ms) | p99 (ms) | failed |',
    '| --- | --- | --: | --: | --: | --: |',
  ];
  for (const scenario of scenarios) {
    for (const side of SIDES) {
      const s = summarize(runs, scenario, side);
      const label = side === 'tessera' ? scenario.title : '';
      lines.push(
        `| ${label} | ${SIDE_NAMES[side]} | ${fixed(s.requestsPerSecond, 0)} | ${fixed(s.p50, 1)} | ${fixed(s.p99, 1)} | ${s.failed} |`,
      );
    }
    const r = ratios(runs, scenario);
    lines.push(
      `| | **Tessera / baseline** | **${fixed(r.requestsPerSecond, 2)}×** | **${fixed(r.p50, 2)}×** | **${fixed(r.p99, 2)}×** | |`,
    );
  }
  return lines.join('\n');
}

export function callsTable(runs: readonly Run[], scenarios: readonly Scenario[]): string {
  const lines = [
    '| scenario | Tessera: SDK calls to the service | Tessera: database commands | baseline: database commands |',
    '| --- | --- | --- | --- |',
  ];
  for (const scenario of scenarios) {
    const cells = [
      callsPerRequest(runs, scenario, 'tessera', 'serviceCalls'),
      callsPerRequest(runs, scenario, 'tessera', 'databaseCommands'),
      callsPerRequest(runs, scenario, 'baseline', 'databaseCommands'),
    ];
    lines.push(`| ${scenario.title} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function cpuTable(runs: readonly Run[], scenarios: readonly Scenario[]): string {
  const lines = [
    `| scenario | side | ${CPU_ROLES.join(' | ')} | total |`,
    `| --- | --- | ${CPU_ROLES.map(() => '--:').join(' | ')} | --: |`,
  ];
  for (const scenario of scenarios) {
    for (const side of SIDES) {
      const mine = runsOf(runs, scenario, side);
      const requests = mine.reduce((sum, r) => sum + r.served, 0);
      const perRequest = CPU_ROLES.map((role) => {
        const measured = mine.filter((r) => r.cpu[role] !== undefined);
        if (measured.length < mine.length) return Number.NaN;
        return (1000 * measured.reduce((sum, r) => sum + r.cpu[role]!, 0)) / requests;
      });
      const total = perRequest.filter(Number.isFinite).reduce((a, b) => a + b, 0);
      lines.push(
        `| ${scenario.title} | ${side} | ${perRequest.map((ms) => fixed(ms, 2)).join(' | ')} | ${fixed(total, 2)} |`,
      );
    }
  }
  return lines.join('\n');
}

export function roundsTable(runs: readonly Run[], scenarios: readonly Scenario[]): string {
  const rounds = [...new Set(runs.map((r) => r.round))].sort((a, b) => a - b);
  const lines = [
    `| scenario | side | ${rounds.map((n) => `round ${n} req/s (p99 ms)`).join(' | ')} |`,
    `| --- | --- | ${rounds.map(() => '--:').join(' | ')} |`,
  ];
  for (const scenario of scenarios) {
    for (const side of SIDES) {
      const cells = runsOf(runs, scenario, side).map(
        (r) => `${fixed(r.result.requestsPerSecond, 0)} (${fixed(r.result.p99, 1)})`,
      );
      lines.push(`| ${scenario.title} | ${side} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
