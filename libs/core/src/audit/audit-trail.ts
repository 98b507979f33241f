import type { Clock } from '../clock';
import type { AuditLog } from '../ports/audit-log';
import type { RandomSource } from '../random';
import type { AuditEvent } from './audit-event';
import { newAuditEventId } from './audit-event';

/** An event as its source describes it; the trail adds the id and the time unless given. */
export type AuditEntry = Omit<AuditEvent, 'id' | 'at'> & {
  readonly id?: string;
  readonly at?: number;
};

/** Records audit events, stamping each with a random id and the clock's time. */
export class AuditTrail {
  constructor(
    private readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return this.log.record({
      ...entry,
      id: entry.id ?? newAuditEventId(this.random),
      at: entry.at ?? this.clock.now(),
    });
  }
}
