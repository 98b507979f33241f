import type { Clock } from '../clock';
import { isSessionLive } from '../session/expiry';
import type { SessionTimeouts } from '../session/expiry';
import type {
  ActivityPosition,
  OnlinePrincipalRecord,
  OnlinePrincipals,
  OnlinePrincipalsFilter,
} from './online-principals';

export interface OnlinePrincipal {
  readonly principalId: string;
  readonly realm: string;
  readonly subject: string;
  readonly profile: Readonly<Record<string, string>>;
  readonly liveSessions: number;
  /** Client ids of the apps joined to a live session, sorted. */
  readonly appsInUse: readonly string[];
  readonly lastActivityAt: number;
}

export interface OnlinePrincipalsPage {
  readonly items: readonly OnlinePrincipal[];
  /** All principals matching the filter, over every page. */
  readonly total: number;
  /** Where the next page starts; absent on the last page. */
  readonly next?: ActivityPosition;
}

export interface ListOnlinePrincipalsQuery {
  readonly filter: OnlinePrincipalsFilter;
  readonly limit: number;
  readonly after?: ActivityPosition;
}

/** Who is online: one page of principals with a live session, and the total. */
export class ListOnlinePrincipals {
  constructor(
    private readonly online: OnlinePrincipals,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
  ) {}

  async execute(query: ListOnlinePrincipalsQuery): Promise<OnlinePrincipalsPage> {
    const now = this.clock.now();
    // One more than asked tells whether a next page exists without a second query.
    const [records, total] = await Promise.all([
      this.online.list(query.filter, now, query.limit + 1, query.after),
      this.online.count(query.filter, now),
    ]);
    const items = records.slice(0, query.limit).map((r) => this.itemOf(r, now));
    const last = items[items.length - 1];
    const next =
      records.length > query.limit && last
        ? { lastActivityAt: last.lastActivityAt, principalId: last.principalId }
        : undefined;
    return { items, total, ...(next ? { next } : {}) };
  }

  private itemOf(record: OnlinePrincipalRecord, now: number): OnlinePrincipal {
    const live = [...record.sessions.values()].filter((s) => isSessionLive(s, this.timeouts, now));
    const apps = new Set(live.flatMap((s) => [...s.appSessions.values()].map((a) => a.clientId)));
    return {
      principalId: record.principal.id,
      realm: record.principal.realm,
      subject: record.principal.subject,
      profile: record.principal.profile,
      liveSessions: live.length,
      appsInUse: [...apps].sort(),
      lastActivityAt: record.lastActivityAt,
    };
  }
}
