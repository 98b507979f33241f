import type { AppChanges, AppRecord, NewApp } from '@tessera/core';
import { AttributePolicy } from '@tessera/core';
import type { AppDocument } from './app.schema';

/** Converts between stored app documents and domain apps; the only place that knows both. */
export function toAppDocument(app: NewApp, at: Date): AppDocument {
  return {
    _id: app.clientId,
    realm: app.realm,
    secretHash: app.secretHash,
    enabled: app.enabled,
    redirectUris: [...app.redirectUris],
    ...(app.backchannelLogoutUri ? { backchannelLogoutUri: app.backchannelLogoutUri } : {}),
    ...(app.frontchannelLogoutUri ? { frontchannelLogoutUri: app.frontchannelLogoutUri } : {}),
    postLogoutRedirectUris: [...app.postLogoutRedirectUris],
    attributePolicy: policyOf(app.attributePolicy),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

export function toAppRecord(doc: AppDocument): AppRecord {
  return {
    clientId: doc._id,
    realm: doc.realm,
    secretHash: doc.secretHash,
    enabled: doc.enabled,
    policy: new AttributePolicy(policyOf(doc.attributePolicy)),
    redirectUris: doc.redirectUris ?? [],
    ...(doc.backchannelLogoutUri ? { backchannelLogoutUri: doc.backchannelLogoutUri } : {}),
    ...(doc.frontchannelLogoutUri ? { frontchannelLogoutUri: doc.frontchannelLogoutUri } : {}),
    postLogoutRedirectUris: doc.postLogoutRedirectUris ?? [],
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The `$set` and `$unset` of a change; only the fields it names. */
export function toAppUpdate(changes: AppChanges, at: Date) {
  const $set: Record<string, unknown> = { updatedAt: at };
  const $unset: Record<string, ''> = {};
  const { attributePolicy, backchannelLogoutUri, frontchannelLogoutUri, ...plain } = changes;
  for (const [field, value] of Object.entries(plain) as [string, unknown][]) {
    if (value !== undefined) $set[field] = Array.isArray(value) ? [...(value as string[])] : value;
  }
  if (attributePolicy) $set.attributePolicy = policyOf(attributePolicy);
  for (const [field, value] of Object.entries({ backchannelLogoutUri, frontchannelLogoutUri })) {
    if (value === null) $unset[field] = '';
    else if (value !== undefined) $set[field] = value;
  }
  return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

function policyOf(spec: AppDocument['attributePolicy'] | NewApp['attributePolicy']) {
  return {
    defaultScope: spec.defaultScope,
    sharedKeys: [...spec.sharedKeys],
    privateKeys: [...spec.privateKeys],
  };
}
