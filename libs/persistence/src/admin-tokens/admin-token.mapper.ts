import type { AdminScope, AdminToken, StoredAdminToken } from '@tessera/core';
import { ADMIN_SCOPES } from '@tessera/core';
import type { AdminTokenDocument } from './admin-token.schema';

/** Converts between stored admin token documents and domain tokens. */
export function toAdminTokenDocument(token: StoredAdminToken): AdminTokenDocument {
  return {
    _id: token.id,
    name: token.name,
    scopes: [...token.scopes],
    validatorHash: token.validatorHash,
    createdAt: new Date(token.createdAt),
    ...(token.revokedAt === undefined ? {} : { revokedAt: new Date(token.revokedAt) }),
    ...(token.lastUsedAt === undefined ? {} : { lastUsedAt: new Date(token.lastUsedAt) }),
  };
}

export function toStoredAdminToken(doc: AdminTokenDocument): StoredAdminToken {
  return { ...toAdminToken(doc), validatorHash: doc.validatorHash };
}

export function toAdminToken(doc: Omit<AdminTokenDocument, 'validatorHash'>): AdminToken {
  return {
    id: doc._id,
    name: doc.name,
    // Unknown scopes grant nothing rather than failing the whole listing.
    scopes: doc.scopes.filter((s): s is AdminScope => (ADMIN_SCOPES as string[]).includes(s)),
    createdAt: doc.createdAt.getTime(),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt.getTime() } : {}),
    ...(doc.lastUsedAt ? { lastUsedAt: doc.lastUsedAt.getTime() } : {}),
  };
}
