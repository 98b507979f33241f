import type {
  DeliveryDecision,
  FirstAttemptLease,
  LogoutNotification,
  EndCause,
  LeasedNotification,
  NotificationStatus,
} from '@tessera/core';
import type { OutboxEntryDocument } from './outbox-entry.schema';

/**
 * The entry a notification starts as: pending, due at once, no attempt made; with `lease`, its
 * first attempt leased to the recording instance.
 */
export function toNewEntry(n: LogoutNotification, lease?: FirstAttemptLease): OutboxEntryDocument {
  return {
    _id: n.id,
    realm: n.realm,
    clientId: n.clientId,
    backchannelLogoutUri: n.backchannelLogoutUri,
    sessionId: n.sessionId,
    subject: n.subject,
    cause: n.cause,
    createdAt: new Date(n.createdAt),
    deadline: new Date(n.deadline),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: new Date(n.createdAt),
    ...(lease ? { leaseOwner: lease.owner, leaseUntil: new Date(lease.until) } : {}),
  };
}

/** The domain's view of a leased entry; dates become epoch milliseconds at this edge. */
export function toLeased(doc: OutboxEntryDocument, leaseUntil: Date): LeasedNotification {
  return {
    notification: {
      id: doc._id,
      realm: doc.realm,
      clientId: doc.clientId,
      backchannelLogoutUri: doc.backchannelLogoutUri,
      sessionId: doc.sessionId,
      subject: doc.subject,
      cause: doc.cause as EndCause,
      createdAt: doc.createdAt.getTime(),
      deadline: doc.deadline.getTime(),
    },
    attempts: doc.attempts,
    ...(doc.lastError === undefined ? {} : { lastError: doc.lastError }),
    leaseUntil: leaseUntil.getTime(),
  };
}

/** The fields a settled delivery writes; the lease fields are unset beside them. */
export function settledFields(decision: DeliveryDecision): Partial<OutboxEntryDocument> {
  switch (decision.state) {
    case 'delivered':
      return {
        state: 'delivered',
        attempts: decision.attempts,
        deliveredAt: new Date(decision.deliveredAt),
      };
    case 'pending':
      return {
        state: 'pending',
        attempts: decision.attempts,
        nextAttemptAt: new Date(decision.nextAttemptAt),
        lastError: decision.lastError,
      };
    case 'given_up':
      return { state: 'given_up', attempts: decision.attempts, lastError: decision.lastError };
  }
}

/** What administrators see of an entry. */
export function toStatus(doc: OutboxEntryDocument): NotificationStatus {
  return {
    id: doc._id,
    clientId: doc.clientId,
    sessionId: doc.sessionId,
    state: doc.state,
    attempts: doc.attempts,
    ...(doc.lastError === undefined ? {} : { lastError: doc.lastError }),
    ...(doc.deliveredAt === undefined ? {} : { deliveredAt: doc.deliveredAt.getTime() }),
    ...(doc.state === 'pending' ? { nextAttemptAt: doc.nextAttemptAt.getTime() } : {}),
  };
}
