import type { AccountListQuery } from '@tessera/core';
import type { FilterQuery } from 'mongoose';
import type { AccountDocument } from './account.schema';

/**
 * The filter of one listing page: realm by `$eq`, the name prefix as an anchored pattern with
 * every special character escaped (so it matches literally and can use the realm + username
 * index), and the keyset position as "after (realm, username)".
 */
export function accountListFilter(query: AccountListQuery): FilterQuery<AccountDocument> {
  const parts: FilterQuery<AccountDocument>[] = [];
  if (query.realm !== undefined) parts.push({ realm: { $eq: text(query.realm) } });
  if (query.usernamePrefix !== undefined) {
    parts.push({ username: { $regex: `^${escapePattern(text(query.usernamePrefix))}` } });
  }
  if (query.after !== undefined) {
    const realm = text(query.after.realm);
    parts.push({
      $or: [
        { realm: { $gt: realm } },
        { realm: { $eq: realm }, username: { $gt: text(query.after.username) } },
      ],
    });
  }
  return parts.length === 0 ? {} : { $and: parts };
}

/** The core checks its input; this keeps a non-string from ever reaching a query here either. */
function text(value: string): string {
  if (typeof value !== 'string') throw new TypeError('account filters take strings');
  return value;
}

function escapePattern(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
