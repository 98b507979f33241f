import type { AccountSummary, LocalAccount } from '@tessera/core';
import { ACCOUNT_PROFILE_FIELDS } from '@tessera/core';
import type { AccountDocument } from './account.schema';

/** Converts between stored account documents and domain accounts; the only place that knows both. */
export function toAccountDocument(account: LocalAccount): AccountDocument {
  return {
    _id: account.id,
    realm: account.realm,
    username: account.username,
    passwordHash: account.passwordHash,
    profile: profileOf(account.profile),
    disabled: account.disabled,
    createdAt: new Date(account.createdAt),
    updatedAt: new Date(account.updatedAt),
    passwordChangedAt: new Date(account.passwordChangedAt),
    rev: 0,
  };
}

export function toLocalAccount(doc: AccountDocument): LocalAccount {
  return { ...toAccountSummary(doc), passwordHash: doc.passwordHash };
}

export function toAccountSummary(doc: Omit<AccountDocument, 'passwordHash'>): AccountSummary {
  const createdAt = doc.createdAt.getTime();
  return {
    id: doc._id,
    realm: doc.realm,
    username: doc.username,
    profile: profileOf(doc.profile ?? {}),
    disabled: doc.disabled === true,
    createdAt,
    updatedAt: doc.updatedAt?.getTime() ?? createdAt,
    passwordChangedAt: doc.passwordChangedAt?.getTime() ?? createdAt,
  };
}

/** Known fields only, in both directions: nothing else is ever stored or shown as a claim. */
function profileOf(profile: Readonly<Record<string, unknown>>): Record<string, string> {
  const known: Record<string, string> = {};
  for (const field of ACCOUNT_PROFILE_FIELDS) {
    const value = profile[field];
    if (typeof value === 'string') known[field] = value;
  }
  return known;
}
