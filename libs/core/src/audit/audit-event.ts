import type { EndCause } from '../logout/end-cause';
import type { RandomSource } from '../random';
import { randomId } from '../random';

/** Every kind of event the audit log keeps (docs/admin/access-and-audit.md lists their details). */
export const AUDIT_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'session.ended',
  'admin.action',
  'admin.refused',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Detail values stay flat: text, numbers, flags, lists of text, or one level of text fields. */
export type AuditDetailValue =
  string | number | boolean | readonly string[] | Readonly<Record<string, string>>;

/** One security-relevant event. Field names in `details` are the service's own, never a caller's. */
export interface AuditEvent {
  /** Random, or deterministic where an event may be recorded twice (`end:<session id>`). */
  readonly id: string;
  readonly at: number;
  readonly type: AuditEventType;
  readonly realm?: string;
  readonly principalId?: string;
  readonly subject?: string;
  readonly sessionId?: string;
  readonly clientId?: string;
  readonly clientIp?: string;
  readonly details: Readonly<Record<string, AuditDetailValue>>;
}

/** What the statistics endpoint reports over a time window. */
export interface AuditCounts {
  readonly signIns: number;
  /** Refused sign-ins: wrong credentials and the like (`login.failed`) plus throttled attempts. */
  readonly failedSignIns: number;
  readonly sessionsEnded: Record<EndCause, number>;
}

export const END_CAUSES: readonly EndCause[] = [
  'logout',
  'admin',
  'idle-timeout',
  'absolute-timeout',
  'evicted',
];

export function newAuditEventId(random: RandomSource): string {
  return randomId(random, 16);
}

/** One event per ended session, whichever run of the completion records it. */
export function sessionEndEventId(sessionId: string): string {
  return `end:${sessionId}`;
}
