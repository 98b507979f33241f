import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditCounts, AuditEvent, AuditPage, AuditQuery, EndCause } from '@tessera/core';
import { AuditLog, END_CAUSES } from '@tessera/core';
import type { FilterQuery } from 'mongoose';
import { Model } from 'mongoose';
import { toAuditEvent, toAuditEventDocument } from './audit-event.mapper';
import type { AuditEventDocument } from './audit-event.schema';
import { AUDIT_EVENT_MODEL } from './audit-event.schema';
import { isDuplicateKey } from '../duplicate-key';

const MAX_PAGE = 1000;

/** AuditLog on MongoDB. Every filter value goes through `$eq` or a typed range. */
@Injectable()
export class MongoAuditLog extends AuditLog implements OnModuleInit {
  constructor(@InjectModel(AUDIT_EVENT_MODEL) private readonly events: Model<AuditEventDocument>) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.events.init();
  }

  async record(event: AuditEvent): Promise<void> {
    try {
      await this.events.create(toAuditEventDocument(event));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    const docs = await this.events
      .find(filterOf(query))
      .sort({ at: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<AuditEventDocument[]>()
      .exec();
    const events = docs.slice(0, query.limit).map(toAuditEvent);
    const last = events[events.length - 1];
    return docs.length > query.limit ? { events, next: { at: last.at, id: last.id } } : { events };
  }

  async countsSince(since: number): Promise<AuditCounts> {
    const at = { $gte: new Date(since) };
    const count = (filter: FilterQuery<AuditEventDocument>) =>
      this.events.countDocuments({ ...filter, at }).exec();
    const [signIns, failed, throttled, ...ends] = await Promise.all([
      count({ type: 'login.succeeded' }),
      count({ type: 'login.failed' }),
      count({ type: 'login.throttled' }),
      ...END_CAUSES.map((cause) => count({ type: 'session.ended', 'details.cause': cause })),
    ]);
    return {
      signIns,
      failedSignIns: failed + throttled,
      sessionsEnded: Object.fromEntries(END_CAUSES.map((c, i) => [c, ends[i]])) as Record<
        EndCause,
        number
      >,
    };
  }

  async deleteOlderThan(before: number, limit: number): Promise<number> {
    // Oldest first through the `at` index, one bounded batch per call.
    const old = await this.events
      .find({ at: { $lt: new Date(before) } }, { _id: 1 })
      .sort({ at: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    if (old.length === 0) return 0;
    const result = await this.events.deleteMany({ _id: { $in: old.map((d) => d._id) } }).exec();
    return result.deletedCount;
  }
}

function filterOf(query: AuditQuery): FilterQuery<AuditEventDocument> {
  const and: FilterQuery<AuditEventDocument>[] = [];
  if (query.types && query.types.length > 0) and.push({ type: { $in: [...query.types] } });
  if (query.principalId !== undefined) and.push({ principalId: { $eq: query.principalId } });
  if (query.subject) {
    and.push({ realm: { $eq: query.subject.realm }, subject: { $eq: query.subject.subject } });
  }
  if (query.from !== undefined) and.push({ at: { $gte: new Date(query.from) } });
  if (query.to !== undefined) and.push({ at: { $lte: new Date(query.to) } });
  const after = query.after;
  if (after) {
    and.push({
      $or: [
        { at: { $lt: new Date(after.at) } },
        { at: { $eq: new Date(after.at) }, _id: { $lt: after.id } },
      ],
    });
  }
  return and.length > 0 ? { $and: and } : {};
}
