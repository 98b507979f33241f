import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type {
  ActivityPosition,
  OnlinePrincipalRecord,
  OnlinePrincipalsFilter,
  SessionTotals,
} from '@tessera/core';
import { OnlinePrincipals } from '@tessera/core';
import { Model } from 'mongoose';
import type { PrincipalDocument } from './principal.document';
import { toPrincipalWithSessions } from './principal.mapper';
import { PRINCIPAL_MODEL } from './principal.schema';

/**
 * The online list and its counts, from the summary fields (principal-summary.fields.ts). The
 * indexes each query uses are in principal.schema.ts and docs/admin/sessions.md.
 */
@Injectable()
export class MongoOnlinePrincipals extends OnlinePrincipals {
  constructor(@InjectModel(PRINCIPAL_MODEL) private readonly principals: Model<PrincipalDocument>) {
    super();
  }

  async list(
    filter: OnlinePrincipalsFilter,
    now: number,
    limit: number,
    after?: ActivityPosition,
  ): Promise<OnlinePrincipalRecord[]> {
    const query = onlineFilter(filter, now);
    if (after) {
      const at = new Date(after.lastActivityAt);
      query.$or = [
        { lastActivityAt: { $lt: at } },
        { lastActivityAt: at, _id: { $lt: text(after.principalId) } },
      ];
    }
    const docs = await this.principals
      .find(query)
      .sort({ lastActivityAt: -1, _id: -1 })
      .limit(limit)
      .lean<PrincipalDocument[]>()
      .exec();
    return docs.map((doc) => ({
      ...toPrincipalWithSessions(doc),
      lastActivityAt: doc.lastActivityAt.getTime(),
    }));
  }

  async count(filter: OnlinePrincipalsFilter, now: number): Promise<number> {
    return this.principals.countDocuments(onlineFilter(filter, now)).exec();
  }

  async totals(now: number): Promise<SessionTotals> {
    const live = { liveUntil: { $gt: new Date(now) } };
    // One accumulator per $group: FerretDB 1.24 computes only the first of several (it answers
    // 0 for the others), so the principals are counted by their own query.
    const [principals, sessions, byApp] = await Promise.all([
      this.principals.countDocuments(live).exec(),
      this.principals
        .aggregate<{ sessions: number }>([
          { $match: live },
          { $group: { _id: null, sessions: { $sum: '$openSessions' } } },
        ])
        .exec(),
      this.principals
        .aggregate<{ _id: string; sessions: number }>([
          { $match: live },
          { $unwind: '$sessionApps' },
          { $group: { _id: '$sessionApps.c', sessions: { $sum: 1 } } },
        ])
        .exec(),
    ]);
    return {
      onlinePrincipals: principals,
      openSessions: sessions[0]?.sessions ?? 0,
      openSessionsByApp: Object.fromEntries(byApp.map((app) => [app._id, app.sessions])),
    };
  }
}

/** Principals with a live session, narrowed by the filter. Prefixes become anchored, escaped patterns. */
function onlineFilter(filter: OnlinePrincipalsFilter, now: number): Record<string, unknown> {
  const query: Record<string, unknown> = { liveUntil: { $gt: new Date(now) } };
  if (filter.realm !== undefined) query.realm = text(filter.realm);
  if (filter.clientId !== undefined) query['sessionApps.c'] = text(filter.clientId);
  if (filter.subjectPrefix !== undefined) {
    query.subject = { $regex: prefixPattern(text(filter.subjectPrefix)) };
  }
  if (filter.namePrefix !== undefined) {
    query.nameLower = { $regex: prefixPattern(text(filter.namePrefix).toLowerCase()) };
  }
  return query;
}

/** `^` and the prefix with every pattern character escaped: it can only match a literal start. */
export function prefixPattern(prefix: string): string {
  return `^${prefix.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}`;
}

/** The HTTP layer validates these as strings; this keeps an object from ever reaching a query. */
function text(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('a query value must be a string');
  return value;
}
