import type { AuditCounts } from '../audit/audit-event';
import type { Clock } from '../clock';
import type { AuditLog } from '../ports/audit-log';
import type { LogoutOutbox } from '../ports/logout-outbox';
import type { OnlinePrincipals } from './online-principals';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SessionStatistics {
  /** When these figures were computed; they may be up to the cache's age old. */
  readonly computedAt: number;
  readonly onlinePrincipals: number;
  readonly liveSessions: number;
  readonly liveSessionsByApp: Readonly<Record<string, number>>;
  readonly lastMinute: AuditCounts;
  readonly lastHour: AuditCounts;
  readonly logoutNotifications: { readonly pending: number; readonly givenUp: number };
}

/**
 * The statistics call. Each figure is an index-backed count or aggregation, and the whole answer
 * is kept per instance for `maxAgeMs`, so a dashboard polling many times a second costs the
 * database one computation per period. Callers arriving during a computation share it.
 */
export class ReadSessionStatistics {
  private cached?: { at: number; statistics: Promise<SessionStatistics> };

  constructor(
    private readonly online: OnlinePrincipals,
    private readonly audit: AuditLog,
    private readonly outbox: LogoutOutbox,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  execute(): Promise<SessionStatistics> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < this.maxAgeMs) return this.cached.statistics;
    const statistics = this.compute(now);
    const entry = { at: now, statistics };
    this.cached = entry;
    // Kept for `maxAgeMs` from when the computation ends, so a slow one is still reused; a
    // failed one is not kept, and the next call tries again.
    statistics.then(
      () => (entry.at = this.clock.now()),
      () => {
        if (this.cached === entry) this.cached = undefined;
      },
    );
    return statistics;
  }

  private async compute(now: number): Promise<SessionStatistics> {
    const [totals, lastMinute, lastHour, states] = await Promise.all([
      this.online.totals(now),
      this.audit.countsSince(now - MINUTE),
      this.audit.countsSince(now - HOUR),
      this.outbox.countByState(),
    ]);
    return {
      computedAt: now,
      onlinePrincipals: totals.onlinePrincipals,
      liveSessions: totals.openSessions,
      liveSessionsByApp: totals.openSessionsByApp,
      lastMinute,
      lastHour,
      logoutNotifications: { pending: states.pending, givenUp: states.given_up },
    };
  }
}
