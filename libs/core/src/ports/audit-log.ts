import type { AuditCounts, AuditEvent, AuditEventType } from '../audit/audit-event';

/** Where a newest-first listing stands: the time and id of the last event shown. */
export interface AuditKey {
  readonly at: number;
  readonly id: string;
}

/** Filters of the audit listing; all optional, combined with AND. */
export interface AuditQuery {
  readonly types?: readonly AuditEventType[];
  readonly principalId?: string;
  /** Subject within a realm: both or neither. */
  readonly subject?: { readonly realm: string; readonly subject: string };
  /** Inclusive bounds on `at`, in ms. */
  readonly from?: number;
  readonly to?: number;
  readonly after?: AuditKey;
  /** 1..1000. */
  readonly limit: number;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  readonly next?: AuditKey;
}

/** Persistence port for the audit log: append-only, read newest first, trimmed by age. */
export abstract class AuditLog {
  /** Appends `event`; an event whose id is already recorded is ignored (recording twice is safe). */
  abstract record(event: AuditEvent): Promise<void>;

  /** Events newest first (`at`, then id, descending). */
  abstract list(query: AuditQuery): Promise<AuditPage>;

  /** Sign-ins, failures and session ends by cause since `since` (ms), each an index range count. */
  abstract countsSince(since: number): Promise<AuditCounts>;

  /** Deletes events older than `before` (ms), at most `limit` of them; answers how many went. */
  abstract deleteOlderThan(before: number, limit: number): Promise<number>;
}
