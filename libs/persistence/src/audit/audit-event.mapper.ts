import type { AuditDetailValue, AuditEvent, AuditEventType } from '@tessera/core';
import type { AuditEventDocument } from './audit-event.schema';

const OPTIONAL = ['realm', 'principalId', 'subject', 'sessionId', 'clientId', 'clientIp'] as const;

/** Converts between stored audit documents and domain events. */
export function toAuditEventDocument(event: AuditEvent): AuditEventDocument {
  const doc: AuditEventDocument = {
    _id: event.id,
    at: new Date(event.at),
    type: event.type,
    details: { ...event.details },
  };
  for (const field of OPTIONAL) if (event[field] !== undefined) doc[field] = event[field];
  return doc;
}

export function toAuditEvent(doc: AuditEventDocument): AuditEvent {
  const optional: Partial<Record<(typeof OPTIONAL)[number], string>> = {};
  for (const field of OPTIONAL) if (typeof doc[field] === 'string') optional[field] = doc[field];
  return {
    id: doc._id,
    at: doc.at.getTime(),
    type: doc.type as AuditEventType,
    ...optional,
    details: (doc.details ?? {}) as Record<string, AuditDetailValue>,
  };
}
